/** The sandbox's real, playable sample videos, decoded once on first use. */
import { SAMPLE_MP4_BASE64, SAMPLE_WEBM_BASE64 } from './samples.generated.js';

export type Container = 'mp4' | 'webm';

const cache = new Map<Container, Buffer>();

export function sandboxVideo(container: Container): Buffer {
  let bytes = cache.get(container);
  if (!bytes) {
    bytes = Buffer.from(container === 'mp4' ? SAMPLE_MP4_BASE64 : SAMPLE_WEBM_BASE64, 'base64');
    cache.set(container, bytes);
  }
  return bytes;
}
