/**
 * Where a model takes an earlier job, as list_video_models shows it: the whole clip as `job:<id>` in
 * a video field (frame_videos continues it, source_video edits it, reference_videos refers to it),
 * or one frame of it as `job:<id>#last-frame` (or `#first-frame`, `#t=<seconds>`) in an image field.
 */
import type { ModelCapabilities } from './types.js';

export function jobInputsOf(m: ModelCapabilities): string[] {
  const ways: string[] = [];
  if (m.media.frame_videos) ways.push('frame_videos: job:<id> (continues the clip)');
  if (m.keyframes.includes('first')) ways.push('frame_images, frame "first": job:<id>#last-frame');
  if (m.media.source_video) ways.push('source_video: job:<id> (edits the clip)');
  if (m.media.reference_videos) ways.push('reference_videos: job:<id>');
  if (m.media.reference_images) ways.push('reference_images: job:<id>#t=<seconds>');
  return ways;
}
