/**
 * The ledger file's I/O: appends that are whole or absent, and reads by byte position. Errors name
 * the file and the OS error code, so "the ledger cannot be read" is never mistaken for "no jobs".
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../log.js';

/** A ledger that cannot be read or written: an expected failure whose message says where and why. */
export class LedgerError extends UserFacingError {
  override name = 'LedgerError';
  constructor(
    message: string,
    /** The OS error code (ENOSPC, EACCES, EROFS, EISDIR…), when there is one. */
    readonly code: string | undefined,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Writes as much of `bytes` as it can at the end of the file; returns how many bytes it wrote. */
export type LedgerWrite = (handle: FileHandle, bytes: Uint8Array) => Promise<number>;

export const writeOnce: LedgerWrite = async (handle, bytes) => (await handle.write(bytes)).bytesWritten;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

function writeError(file: string, error: unknown): LedgerError {
  return new LedgerError(
    `The job ledger ${file} cannot be written (${reasonOf(error)}). ` +
      'Free space there, or set VIDEO_MCP_STATE_DIR to a writable folder.',
    errorCode(error),
    file,
    { cause: error },
  );
}

function readError(file: string, error: unknown): LedgerError {
  return new LedgerError(
    `The job ledger ${file} cannot be read (${reasonOf(error)}), so the jobs recorded there cannot be shown. ` +
      'Fix the permissions, or set VIDEO_MCP_STATE_DIR to a folder this server can read and write.',
    errorCode(error),
    file,
    { cause: error },
  );
}

export function folderError(dir: string, error: unknown): LedgerError {
  return new LedgerError(
    `The job ledger's folder ${dir} cannot be created (${reasonOf(error)}). ` +
      'Set VIDEO_MCP_STATE_DIR to a writable folder.',
    errorCode(error),
    dir,
    { cause: error },
  );
}

/**
 * Appends one record and fsyncs it. A short write is continued while the record's bytes so far are
 * still the file's tail; if it cannot be finished, those bytes are cut off again (when nothing was
 * appended after them) so no torn record is left, and the error is thrown. A torn record that must
 * stay (another process wrote after it) is harmless: the next record starts with a newline, so it is
 * read as one damaged line and skipped.
 */
export async function appendRecord(
  file: string,
  bytes: Buffer,
  write: LedgerWrite,
  logger?: Logger,
): Promise<void> {
  let handle: FileHandle;
  try {
    // a+: appends, and lets a failed record be read back and cut off.
    handle = await open(file, 'a+', 0o600);
  } catch (error) {
    throw writeError(file, error);
  }
  let start = 0;
  let written = 0;
  try {
    start = (await handle.stat()).size;
    while (written < bytes.length) {
      if (written > 0 && (await handle.stat()).size !== start + written)
        throw new Error(`another writer appended in the middle of this record (${written} bytes written)`);
      const wrote = await write(handle, bytes.subarray(written));
      if (wrote <= 0) throw new Error(`the write stored 0 of ${bytes.length - written} bytes`);
      written += wrote;
    }
    await handle.datasync();
  } catch (error) {
    if (written > 0 && !(await cutTornRecord(handle, start, bytes.subarray(0, written))))
      logger?.warn('a torn ledger record could not be removed; it will be skipped as damaged', { file });
    throw writeError(file, error);
  } finally {
    await handle.close();
  }
}

async function cutTornRecord(handle: FileHandle, start: number, torn: Buffer): Promise<boolean> {
  try {
    if ((await handle.stat()).size !== start + torn.length) return false;
    const onDisk = Buffer.alloc(torn.length);
    await handle.read(onDisk, 0, torn.length, start);
    if (!onDisk.equals(torn)) return false;
    await handle.truncate(start);
    await handle.datasync();
    return true;
  } catch {
    return false;
  }
}

/**
 * The bytes from `offset` to the end; `restart` when the file is now shorter than `offset` (replaced
 * or truncated), and the bytes are then the whole file. Undefined when there is no file yet.
 */
export async function readFrom(
  file: string,
  offset: number,
): Promise<{ restart: boolean; bytes: Buffer } | undefined> {
  let size: number;
  try {
    const info = await stat(file);
    // Never open a FIFO or device: the open itself could block for good.
    if (!info.isFile())
      throw Object.assign(new Error(info.isDirectory() ? 'a folder, not a file' : 'not a regular file'), {
        code: info.isDirectory() ? 'EISDIR' : 'EINVAL',
      });
    size = info.size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw readError(file, error);
  }
  const restart = size < offset;
  const from = restart ? 0 : offset;
  if (size === from) return { restart, bytes: Buffer.alloc(0) };
  try {
    const handle = await open(file, 'r');
    try {
      const bytes = Buffer.alloc(size - from);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, from + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { restart, bytes: bytes.subarray(0, filled) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(file, error);
  }
}
