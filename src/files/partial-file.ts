/**
 * A download's bytes on disk before they are complete, kept across crashes and restarts so a
 * transfer resumes instead of starting over. Beside the hidden `.part` file a small sidecar records
 * the server's validator (ETag), the total size and how many bytes are known to be fsync'd; on
 * resume the file is cut back to that point and re-hashed, so bytes a crash may have lost are
 * fetched again rather than trusted. A lock file keeps two processes off the same part.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collectTransferGarbage } from '../v8-memory.js';
import { SNIFF_BYTES } from './container.js';

export interface PartialState {
  validator?: string;
  total?: number;
  synced: number;
}

export class DownloadInProgressError extends Error {
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

async function takeLock(lockPath: string): Promise<void> {
  if (held.has(lockPath)) {
    throw new DownloadInProgressError(
      'This video is already being downloaded by this server; try again when it finishes.',
    );
  }
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      held.add(lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockPath, 'utf8').catch(() => '0'));
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

async function releaseLock(lockPath: string): Promise<void> {
  held.delete(lockPath);
  await rm(lockPath, { force: true });
}

export class PartialFile {
  received = 0;
  hash: Hash = createHash('sha256');
  readonly head = Buffer.alloc(SNIFF_BYTES);
  state: PartialState = { synced: 0 };
  private sinceSync = 0;

  private constructor(
    readonly path: string,
    private readonly sidecar: string,
    private readonly lock: string,
    readonly file: FileHandle,
  ) {}

  /** Opens (or creates) the partial file for `key` in `dir`, picking up where a previous run stopped. */
  static async open(dir: string, key: string): Promise<PartialFile> {
    const base = path.join(dir, `.${key.replace(/[^\w.-]/g, '_')}`);
    const lock = `${base}.lock`;
    await takeLock(lock);
    try {
      // Created if missing, then opened for positioned writes (O_APPEND would ignore the position).
      await (await open(`${base}.part`, 'a', 0o644)).close();
      const file = await open(`${base}.part`, 'r+');
      const part = new PartialFile(`${base}.part`, `${base}.part.json`, lock, file);
      await part.load();
      return part;
    } catch (error) {
      await releaseLock(lock);
      throw error;
    }
  }

  private async load(): Promise<void> {
    let saved: PartialState | undefined;
    try {
      saved = JSON.parse(await readFile(this.sidecar, 'utf8')) as PartialState;
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
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.received < SNIFF_BYTES) {
      chunk.copy(this.head, this.received, 0, Math.min(chunk.length, SNIFF_BYTES - this.received));
    }
    await this.file.write(chunk, 0, chunk.length, this.received);
    this.hash.update(chunk);
    if (this.received >> 20 !== (this.received + chunk.length) >> 20) collectTransferGarbage();
    this.received += chunk.length;
    this.sinceSync += chunk.length;
    if (this.sinceSync >= 8 * 1024 * 1024) await this.checkpoint();
  }

  /** What the server said about the file (validator, size), for the next checkpoint to save. */
  remember(update: Partial<Omit<PartialState, 'synced'>>): void {
    this.state = { ...this.state, ...update };
  }

  /** Makes the bytes so far durable and records how far that is. */
  async checkpoint(update: Partial<Omit<PartialState, 'synced'>> = {}): Promise<void> {
    await this.file.sync();
    this.sinceSync = 0;
    this.state = { ...this.state, ...update, synced: this.received };
    await writeFile(this.sidecar, JSON.stringify(this.state), { mode: 0o600 });
  }

  /** The server will not resume (new ETag, Range ignored): start from zero. */
  async restart(): Promise<void> {
    await this.file.truncate(0);
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
    await releaseLock(this.lock);
  }
}
