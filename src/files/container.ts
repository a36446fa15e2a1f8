/** Recognises a video container from its first bytes, so an HTML error page is never saved as a video. */
export type Sniffed =
  | { container: 'mp4'; mimeType: 'video/mp4' }
  | { container: 'webm'; mimeType: 'video/webm' };

export const SNIFF_BYTES = 12;

export function sniffContainer(head: Uint8Array): Sniffed | undefined {
  if (head.length >= 8) {
    const type = String.fromCharCode(head[4] ?? 0, head[5] ?? 0, head[6] ?? 0, head[7] ?? 0);
    if (type === 'ftyp') return { container: 'mp4', mimeType: 'video/mp4' };
  }
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return { container: 'webm', mimeType: 'video/webm' };
  }
  return undefined;
}
