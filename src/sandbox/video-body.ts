/**
 * The bytes of a sandbox video: a real sample, optionally padded to any size with an MP4 `free` box
 * (or a WebM Void element) so it stays playable. Large bodies are produced on the fly from one
 * reusable zero chunk, so serving a multi-gigabyte file costs no memory.
 */
import { type Container, sandboxVideo } from './assets/videos.js';

const ZERO_CHUNK = Buffer.alloc(256 * 1024);

export interface VideoBody {
  length: number;
  /** Yields the bytes in [start, end] (inclusive), in chunks. */
  chunks(start: number, end: number): Generator<Buffer>;
}

function paddingHeader(container: Container, padBytes: number): Buffer {
  if (container === 'mp4') {
    if (padBytes < 2 ** 32) {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(padBytes, 0);
      h.write('free', 4, 'latin1');
      return h;
    }
    const h = Buffer.alloc(16);
    h.writeUInt32BE(1, 0);
    h.write('free', 4, 'latin1');
    h.writeBigUInt64BE(BigInt(padBytes), 8);
    return h;
  }
  // EBML Void element (0xEC) with an 8-byte size field: 0x01 then 7 bytes of length.
  const h = Buffer.alloc(9);
  h[0] = 0xec;
  const size = BigInt(padBytes - 9);
  h.writeBigUInt64BE(size | (1n << 56n), 1);
  return h;
}

export function videoBody(container: Container, totalBytes?: number): VideoBody {
  const asset = sandboxVideo(container);
  const pad = totalBytes !== undefined && totalBytes >= asset.length + 16 ? totalBytes - asset.length : 0;
  const header = pad ? paddingHeader(container, pad) : Buffer.alloc(0);
  const head = Buffer.concat([asset, header]);
  const length = asset.length + pad;
  return {
    length,
    *chunks(start, end) {
      let at = start;
      while (at <= end) {
        if (at < head.length) {
          const stop = Math.min(head.length, end + 1);
          yield head.subarray(at, stop);
          at = stop;
        } else {
          const n = Math.min(ZERO_CHUNK.length, end + 1 - at);
          yield ZERO_CHUNK.subarray(0, n);
          at += n;
        }
      }
    },
  };
}
