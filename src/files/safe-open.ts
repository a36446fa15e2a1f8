/**
 * Opening files whose names someone else may have planted: a symlink is never followed (O_NOFOLLOW),
 * a FIFO or device never blocks the open (O_NONBLOCK), and what was opened is checked on the handle
 * itself (fstat), so nothing can be swapped in between the check and the read or write.
 */
import { constants } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import { UserFacingError } from '../errors.js';

/** A name that is a symlink, FIFO, device or folder where a file of ours (or a plain input) belongs. */
export class UnsafeFileError extends UserFacingError {
  override name = 'UnsafeFileError';
}

// Windows has neither flag; there symlinks need privileges to make and FIFOs do not live in folders.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

function describeKind(stats: { isSymbolicLink(): boolean; isFIFO(): boolean; isDirectory(): boolean }) {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file (a device or socket)';
}

async function refuseKind(file: string, stats?: Parameters<typeof describeKind>[0]): Promise<never> {
  const seen = stats ?? (await lstat(file).catch(() => undefined));
  const kind = seen ? describeKind(seen) : 'a symbolic link';
  throw new UnsafeFileError(`${file} is ${kind}, not a regular file`);
}

/** Turns the errors a no-follow open gives for a link into an UnsafeFileError. */
async function noFollowFailure(file: string, error: unknown): Promise<never> {
  const code = (error as NodeJS.ErrnoException).code;
  // Linux answers ELOOP for a final symlink under O_NOFOLLOW; FreeBSD and macOS may answer EMLINK/EFTYPE.
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') return refuseKind(file);
  if (code === 'EISDIR') throw new UnsafeFileError(`${file} is a folder, not a regular file`);
  throw error;
}

/** Opens an existing regular file (O_RDONLY or O_RDWR) without following a final symlink or blocking on a FIFO. */
export async function openRegular(
  file: string,
  flags: number,
): Promise<{ handle: FileHandle; links: number; size: number }> {
  const handle = await open(file, flags | NOFOLLOW | NONBLOCK).catch((error: unknown) =>
    noFollowFailure(file, error),
  );
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) await refuseKind(file, stats);
    return { handle, links: stats.nlink, size: stats.size };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** Creates a new file (never an existing name, never through a link) for writing. */
export async function createExclusive(file: string, flags: number, mode = 0o600): Promise<FileHandle> {
  try {
    return await open(file, flags | constants.O_CREAT | constants.O_EXCL | NOFOLLOW | NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const stats = await lstat(file).catch(() => undefined);
      if (stats && !stats.isFile()) await refuseKind(file, stats);
    }
    throw error;
  }
}

export const { O_RDONLY, O_WRONLY, O_RDWR } = constants;
