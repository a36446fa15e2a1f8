/**
 * A download's bytes on disk before they are complete, kept across crashes and restarts so a
 * transfer resumes instead of starting over. Beside the hidden `.part` file a small sidecar records
 * the server's validator (ETag), the total size and how many bytes are known to be fsync'd; on
 * resume the file is cut back to that point and re-hashed, so bytes a crash may have lost are
 * fetched again rather than trusted. A lock file keeps two processes off the same part.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import { SNIFF_BYTES } from './container.js';
import { createExclusive, O_RDONLY, O_RDWR, O_WRONLY, openRegular, UnsafeFileError } from './safe-open.js';

export interface PartialState {
  validator?: string;
  total?: number;
  synced: number;
}

/**
 * writev may write only part of what it is given (a disk filling up does exactly that before it
 * fails), so the rest is written until everything is on disk or the OS reports the error.
 */
async function writeAll(file: FileHandle, buffers: Buffer[], at: number): Promise<void> {
  let rest = buffers;
  let position = at;
  let left = buffers.reduce((sum, b) => sum + b.length, 0);
  while (left > 0) {
    const { bytesWritten } = await file.writev(rest, position);
    if (bytesWritten === 0) throw Object.assign(new Error('no bytes could be written'), { code: 'ENOSPC' });
    left -= bytesWritten;
    position += bytesWritten;
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      next.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = next;
  }
}

export class DownloadInProgressError extends UserFacingError {
  override name = 'DownloadInProgressError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks held by this process: the pid in a lock file cannot tell two downloads in one process apart. */
const held = new Set<string>();

/** The whole of a small file of ours (lock, sidecar), read without following a planted link; undefined if absent. */
async function readOwnFile(file: string): Promise<string | undefined> {
  try {
    const { handle } = await openRegular(file, O_RDONLY);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a new file of ours; a name already taken (or planted) fails instead of being written through. */
async function writeNewFile(file: string, text: string): Promise<void> {
  const handle = await createExclusive(file, O_WRONLY);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

async function takeLock(lockPath: string): Promise<void> {
  if (held.has(lockPath)) {
    throw new DownloadInProgressError(
      'This video is already being downloaded by this server; try again when it finishes.',
    );
  }
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeNewFile(lockPath, String(process.pid));
      held.add(lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readOwnFile(lockPath).catch(skipUnreadable)) ?? '0');
      if (owner && owner !== process.pid && alive(owner)) {
        throw new DownloadInProgressError(
          `This video is already being downloaded by process ${owner}; try again when it finishes.`,
        );
      }
      // A crashed owner left the lock behind (or an earlier run of this process did).
      await rm(lockPath, { force: true });
    }
  }
  throw new DownloadInProgressError('Could not take the download lock; try again.');
}

/** A lock we cannot read is a stale one, unless it is a planted link or pipe: that is refused. */
function skipUnreadable(error: unknown): undefined {
  if (error instanceof UnsafeFileError) throw error;
  return undefined;
}

/**
 * The `.part` file, opened or created without following a planted link. A part that has other hard
 * links is not ours alone (a crash between placing and unlinking, or a planted link to another file):
 * its name is dropped and a fresh part created, which never touches the other file.
 */
async function openPart(partPath: string): Promise<FileHandle> {
  try {
    const { handle, links } = await openRegular(partPath, O_RDWR);
    if (links === 1) return handle;
    await handle.close();
    await unlink(partPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return createExclusive(partPath, O_RDWR, 0o644);
}

async function releaseLock(lockPath: string): Promise<void> {
  held.delete(lockPath);
  await rm(lockPath, { force: true });
}

/**
 * Bytes are written in batches of about this size with one write in flight while the next batch
 * fills: one 64 KB write per socket read, each awaited, held downloads to a third of curl's speed.
 */
const BATCH_BYTES = 1024 * 1024;
const CHECKPOINT_BYTES = 8 * 1024 * 1024;
/** Collect transfer garbage every 4 MiB written: often enough to stay flat, rarely enough to cost little. */
const GC_EVERY_BYTES = 4 * 1024 * 1024;

/** Which 4 MiB mark a byte count has reached; division, not `>>`, which turns counts past 2 GiB negative. */
export function gcMark(bytes: number): number {
  return Math.floor(bytes / GC_EVERY_BYTES);
}

export class PartialFile {
  /** Bytes received and hashed; the ones not yet on disk are in `pending` or being written. */
  received = 0;
  hash: Hash = createHash('sha256');
  readonly head = Buffer.alloc(SNIFF_BYTES);
  state: PartialState = { synced: 0 };
  private sinceSync = 0;
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private writeError: unknown;
  /** A checkpoint's fsync running beside the transfer; the next one waits for it. */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly sidecar: string,
    private readonly lock: string,
    readonly file: FileHandle,
    private readonly collectGarbage: (() => void) | undefined,
  ) {}

  /**
   * Opens (or creates) the partial file for `key` in `dir`, picking up where a previous run stopped.
   * `collectGarbage`, when given, runs every 4 MiB written (the bin passes a young-generation collection).
   */
  static async open(dir: string, key: string, collectGarbage?: () => void): Promise<PartialFile> {
    const base = path.join(dir, `.${key.replace(/[^\w.-]/g, '_')}`);
    const lock = `${base}.lock`;
    await takeLock(lock);
    try {
      // Opened for positioned writes (O_APPEND would ignore the position).
      const file = await openPart(`${base}.part`);
      const part = new PartialFile(`${base}.part`, `${base}.part.json`, lock, file, collectGarbage);
      await part.load().catch(async (error: unknown) => {
        await file.close().catch(() => {});
        throw error;
      });
      return part;
    } catch (error) {
      await releaseLock(lock);
      throw error;
    }
  }

  private async load(): Promise<void> {
    let saved: PartialState | undefined;
    const text = await readOwnFile(this.sidecar);
    try {
      saved = text === undefined ? undefined : (JSON.parse(text) as PartialState);
    } catch {
      saved = undefined;
    }
    const size = (await this.file.stat()).size;
    const keep = saved && Number.isInteger(saved.synced) ? Math.min(saved.synced, size) : 0;
    await this.file.truncate(keep);
    this.state = keep > 0 && saved ? saved : { synced: 0 };
    // Re-hash what is kept, in chunks, so resuming a 2 GB file costs no more memory than downloading it.
    const chunk = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < keep; ) {
      const { bytesRead } = await this.file.read(chunk, 0, Math.min(chunk.length, keep - at), at);
      if (bytesRead === 0) break;
      this.hash.update(chunk.subarray(0, bytesRead));
      if (at < SNIFF_BYTES) chunk.copy(this.head, at, 0, Math.min(bytesRead, SNIFF_BYTES - at));
      at += bytesRead;
    }
    this.received = keep;
    this.written = keep;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.writeError) throw this.writeError;
    if (this.received < SNIFF_BYTES) {
      chunk.copy(this.head, this.received, 0, Math.min(chunk.length, SNIFF_BYTES - this.received));
    }
    this.hash.update(chunk);
    this.received += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= BATCH_BYTES) await this.startBatch();
    if (this.sinceSync >= CHECKPOINT_BYTES && !this.syncing) this.checkpointInBackground();
  }

  /**
   * Makes the bytes written so far durable while the transfer goes on: waiting for each fsync held
   * the socket idle while the disk caught up. The sidecar then records how far is durable.
   */
  private checkpointInBackground(): void {
    const upTo = this.written;
    this.sinceSync = 0;
    this.syncing = this.inFlight
      .then(() => this.file.datasync())
      .then(async () => {
        this.state = { ...this.state, synced: Math.max(this.state.synced, upTo) };
        await this.saveState();
      })
      .catch((error: unknown) => {
        this.writeError ??= error;
      })
      .finally(() => {
        this.syncing = undefined;
      });
  }

  /** Waits for the write in flight, then starts writing what is pending (in order, at its offset). */
  private async startBatch(): Promise<void> {
    await this.inFlight;
    if (this.writeError) throw this.writeError;
    if (this.pendingBytes === 0) return;
    // The batch just written is garbage now and the pending one has not been through a collection
    // yet, so a young-generation pass frees the first without promoting the second to the old space.
    if (this.collectGarbage && gcMark(this.written) !== gcMark(this.written + this.pendingBytes)) {
      this.collectGarbage();
    }
    const buffers = this.pending;
    const at = this.written;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.written += bytes;
    this.sinceSync += bytes;
    this.inFlight = writeAll(this.file, buffers, at).then(
      () => {},
      (error: unknown) => {
        this.writeError = error;
      },
    );
  }

  /** All bytes written and fsync'd: the file is complete on disk. */
  async finish(): Promise<void> {
    await this.syncing;
    await this.startBatch();
    await this.inFlight;
    if (this.writeError) throw this.writeError;
    await this.file.sync();
  }

  /** What the server said about the file (validator, size), for the next checkpoint to save. */
  remember(update: Partial<Omit<PartialState, 'synced'>>): void {
    this.state = { ...this.state, ...update };
  }

  /** Makes the bytes so far durable and records how far that is. */
  private async checkpoint(): Promise<void> {
    await this.finish();
    this.state = { ...this.state, synced: this.written };
    await this.saveState();
  }

  /** Written aside and renamed over the sidecar, so a crash mid-write never leaves half a record. */
  private async saveState(): Promise<void> {
    const temp = `${this.sidecar}.tmp`;
    const text = JSON.stringify(this.state);
    await writeNewFile(temp, text).catch(async (error: unknown) => {
      // A temp file left by a crash is ours to replace; a planted link or pipe is refused above.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await unlink(temp);
      await writeNewFile(temp, text);
    });
    await rename(temp, this.sidecar);
  }

  /** The server will not resume (new ETag, Range ignored): start from zero. */
  async restart(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    await this.syncing;
    await this.inFlight;
    this.writeError = undefined;
    await this.file.truncate(0);
    this.written = 0;
    this.sinceSync = 0;
    this.received = 0;
    this.hash = createHash('sha256');
    this.state = { synced: 0 };
    await rm(this.sidecar, { force: true });
  }

  /** Leaves the bytes for the next attempt (after a drop, an abort or a crash). */
  async suspend(): Promise<void> {
    await this.checkpoint().catch(() => {});
    await this.file.close().catch(() => {});
    await releaseLock(this.lock);
  }

  /** Removes every trace (after success the part has been linked elsewhere; after a hard failure it is useless). */
  async discard(): Promise<void> {
    await this.file.close().catch(() => {});
    await rm(this.path, { force: true });
    await rm(this.sidecar, { force: true });
    await rm(`${this.sidecar}.tmp`, { force: true });
    await releaseLock(this.lock);
  }
}
