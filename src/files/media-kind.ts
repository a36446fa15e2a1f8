/** What kind of media a file is, from its first bytes rather than its name. */
import type { MediaKind } from '../models/media-fields.js';

export interface Sniffed {
  kind: MediaKind;
  mime: string;
}

const ascii = (b: Uint8Array, at: number, n: number): string =>
  String.fromCharCode(...b.subarray(at, at + n));

export function sniffMedia(b: Uint8Array): Sniffed | undefined {
  if (b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return { kind: 'image', mime: 'image/png' };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'image', mime: 'image/jpeg' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'image', mime: 'image/webp' };
  if (ascii(b, 0, 4) === 'GIF8') return { kind: 'image', mime: 'image/gif' };
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'M4A ') return { kind: 'audio', mime: 'audio/mp4' };
    return { kind: 'video', mime: brand === 'qt  ' ? 'video/quicktime' : 'video/mp4' };
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3)
    return { kind: 'video', mime: 'video/webm' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return { kind: 'audio', mime: 'audio/wav' };
  if (ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0))
    return { kind: 'audio', mime: 'audio/mpeg' };
  return undefined;
}

/** Per-kind size limits for inline (base64) inputs; Wan's audio limit is 15 MB. */
export const MAX_BYTES: Record<MediaKind, number> = {
  image: 10 * 1024 * 1024,
  video: 100 * 1024 * 1024,
  audio: 15 * 1024 * 1024,
};

/**
 * Inline data (data: URIs and base64) in one call, decoded. Over stdio one JSON-RPC message may be
 * at most 10 MiB (the MCP SDK's STDIO_DEFAULT_MAX_BUFFER_SIZE; a longer line closes the connection
 * before the server sees it), and base64 is 4/3 the size: 7 MiB leaves room for the rest of the call.
 */
export const INLINE_MAX_BYTES = 7 * 1024 * 1024;
/** The SDK's stdio limit the inline limit is derived from (a test checks it against the SDK). */
export const STDIO_MESSAGE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Media one create may send as base64 (local files and inline data), decoded. Together states no
 * request size limit; this keeps every create under ~134 MB of JSON, which the sandbox emulator accepts.
 */
export const REQUEST_MEDIA_MAX_BYTES = 100 * 1024 * 1024;
