/**
 * Whether a video saved earlier is still there as it was: a regular file in the output folder with
 * the recorded size and sha256. Only then may it stand in for a new download.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { SNIFF_BYTES, sniffContainer } from './container.js';
import type { DownloadResult } from './download.js';
import { O_RDONLY, openRegular } from './safe-open.js';

export interface SavedRecord {
  path: string;
  bytes: number;
  sha256: string;
}

/** The saved file as a download result, or undefined if it moved, changed or left the output folder. */
export async function verifySavedFile(
  saved: SavedRecord,
  outputDir: string,
): Promise<Omit<DownloadResult, 'resumed'> | undefined> {
  const realDir = await realpath(outputDir).catch(() => undefined);
  if (!realDir || path.dirname(saved.path) !== realDir) return undefined;
  const opened = await openRegular(saved.path, O_RDONLY).catch(() => undefined);
  if (!opened) return undefined;
  const { handle, size } = opened;
  try {
    if (size !== saved.bytes) return undefined;
    const hash = createHash('sha256');
    const head = Buffer.alloc(SNIFF_BYTES);
    let headBytes = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      if (headBytes < SNIFF_BYTES) headBytes += chunk.copy(head, headBytes);
      hash.update(chunk);
    }
    const sniffed = sniffContainer(head.subarray(0, headBytes));
    if (!sniffed || hash.digest('hex') !== saved.sha256) return undefined;
    return { path: saved.path, bytes: size, sha256: saved.sha256, ...sniffed };
  } finally {
    await handle.close();
  }
}
