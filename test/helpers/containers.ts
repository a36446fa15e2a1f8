/** Test-only walkers over a video's container structure: MP4 boxes and WebM's EBML elements. */
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';

/** Bytes that can be read at any offset: a Buffer, or an open file too large to load. */
export interface ByteSource {
  size: number;
  /** Up to `length` bytes at `at` (fewer at the end). */
  read(at: number, length: number): Buffer;
}

export interface Element {
  type: string;
  start: number;
  end: number;
}

export interface Mp4Box extends Element {
  /** Where the box's content starts, after its 8- or 16-byte header. */
  body: number;
}

function sourceOf(bytes: Buffer | ByteSource): ByteSource {
  if (!Buffer.isBuffer(bytes)) return bytes;
  return { size: bytes.length, read: (at, length) => bytes.subarray(at, at + length) };
}

/**
 * The MP4 boxes that tile `start`..`end` (the whole source by default): 32- and 64-bit sizes, size 0
 * meaning "to the end". A box that does not fit, or a file that does not tile exactly, throws.
 */
export function* mp4Boxes(bytes: Buffer | ByteSource, start = 0, end?: number): Generator<Mp4Box> {
  const source = sourceOf(bytes);
  const stop = end ?? source.size;
  for (let at = start; at + 8 <= stop; ) {
    const head = source.read(at, 16);
    const type = head.toString('latin1', 4, 8);
    let size = head.readUInt32BE(0);
    let header = 8;
    if (size === 1) {
      size = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) size = stop - at;
    if (size < header || at + size > stop) throw new Error(`malformed MP4 box ${type} at ${at}`);
    yield { type, start: at, body: at + header, end: at + size };
    at += size;
  }
}

function vint(buf: Buffer, at: number, keepMarker: boolean): { value: number; width: number } {
  const first = buf[at] ?? 0;
  const width = first === 0 ? 9 : 8 - Math.floor(Math.log2(first));
  if (width > 8) throw new Error(`bad EBML VINT at ${at}`);
  let value = keepMarker ? first : first & (0xff >> width);
  for (let i = 1; i < width; i++) value = value * 256 + (buf[at + i] ?? 0);
  return { value, width };
}

/** Top-level EBML elements (EBML header, Segment, Void...): a padded WebM must tile exactly too. */
export function ebmlElements(buf: Buffer): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < buf.length; ) {
    const id = vint(buf, at, true);
    const size = vint(buf, at + id.width, false);
    const end = at + id.width + size.width + size.value;
    out.push({ type: id.value.toString(16), start: at, end });
    at = end;
  }
  return out;
}

/** The real sandbox sample MP4 followed by one `free` box, `totalBytes` long in all: a playable file of any size. */
export function paddedMp4(totalBytes: number): Buffer {
  const sample = sandboxVideo('mp4');
  const pad = Buffer.alloc(totalBytes - sample.length);
  pad.writeUInt32BE(pad.length, 0);
  pad.write('free', 4, 'latin1');
  return Buffer.concat([sample, pad]);
}
