/**
 * The bytes of a sandbox video: a real sample, optionally padded to any size with an MP4 `free` box
 * (or a WebM EBML Void element) so it stays playable. Large bodies are produced on the fly from one
 * reusable zero chunk, so serving a multi-gigabyte file costs no memory.
 */
import { type Container, sandboxVideo } from './assets/videos.js';

const ZERO_CHUNK = Buffer.alloc(256 * 1024);

export interface VideoBody {
  length: number;
  /** Yields the bytes in [start, end] (inclusive), in chunks. */
  chunks(start: number, end: number): Generator<Buffer>;
}

/** The smallest padding each container can express: an MP4 box header, a Void ID plus a 1-byte size. */
const MIN_PAD: Record<Container, number> = { mp4: 8, webm: 2 };

/** The header of a padding element that spans exactly `padBytes` bytes, header included. */
export function paddingHeader(container: Container, padBytes: number): Buffer {
  if (container === 'mp4') {
    if (padBytes < 2 ** 32) {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(padBytes, 0);
      h.write('free', 4, 'latin1');
      return h;
    }
    // size 1 means "a 64-bit size follows the type" (ISO/IEC 14496-12 4.2).
    const h = Buffer.alloc(16);
    h.writeUInt32BE(1, 0);
    h.write('free', 4, 'latin1');
    h.writeBigUInt64BE(BigInt(padBytes), 8);
    return h;
  }
  // EBML Void (ID 0xEC) with the shortest size VINT that fits: width w carries 7*w bits, all-ones reserved.
  for (let width = 1; width <= 8; width++) {
    const data = padBytes - 1 - width;
    if (data >= 0 && data < 2 ** (7 * width) - 1) {
      const h = Buffer.alloc(1 + width);
      h[0] = 0xec;
      let value = BigInt(data) | (1n << BigInt(7 * width));
      for (let i = width; i >= 1; i--) {
        h[i] = Number(value & 0xffn);
        value >>= 8n;
      }
      return h;
    }
  }
  throw new Error(`cannot pad a WebM by ${padBytes} bytes`);
}

/**
 * The sample for `container`, padded to `totalBytes` when that is at least the sample's size plus the
 * smallest padding element; otherwise the sample as it is (so `length` may differ from `totalBytes`).
 */
export function videoBody(container: Container, totalBytes?: number): VideoBody {
  const asset = sandboxVideo(container);
  const wanted = totalBytes === undefined ? 0 : Math.floor(totalBytes) - asset.length;
  const pad = wanted >= MIN_PAD[container] ? wanted : 0;
  const head = pad ? Buffer.concat([asset, paddingHeader(container, pad)]) : asset;
  const length = asset.length + pad;
  return {
    length,
    *chunks(start, end) {
      let at = start;
      const stopAt = Math.min(end, length - 1);
      while (at <= stopAt) {
        if (at < head.length) {
          const stop = Math.min(head.length, stopAt + 1);
          yield head.subarray(at, stop);
          at = stop;
        } else {
          const n = Math.min(ZERO_CHUNK.length, stopAt + 1 - at);
          yield ZERO_CHUNK.subarray(0, n);
          at += n;
        }
      }
    },
  };
}
