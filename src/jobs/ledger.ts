/**
 * The job ledger: every paid job, recorded durably before create_video returns, so a crash, a
 * client time-out or a restart never loses a video someone paid for.
 *
 * Format: an append-only JSON Lines file in the state dir. Each line is a patch to one job; reading
 * folds the patches in order. Appends are single O_APPEND writes followed by fsync, which several
 * server processes can share without locks; each record starts with a newline, so a line cut short
 * by a crash is isolated and skipped instead of corrupting the record after it. Positions are byte
 * offsets into the raw file, never lengths of decoded text. No native modules.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.js';
import { mergeWrite, unchanged } from './job-merge.js';
import type { IntentOutcome, JobStore, SpendLimit } from './job-store.js';
import {
  appendRecord,
  folderError,
  LedgerError,
  type LedgerWrite,
  readFrom,
  writeOnce,
} from './ledger-file.js';
import { decodeLine, encodeEntry, type LedgerEntry } from './ledger-line.js';
import { RateWindows } from './rate-window.js';
import { spentInLastDay } from './spend.js';
import { isTerminal } from './wait-for-job.js';

export { LedgerError } from './ledger-file.js';

export interface JobRecord {
  /** The ledger's key: the Together job id, or `local:<uuid>` while the create call is in flight. */
  key: string;
  job_id?: string;
  status: string;
  model?: string;
  /** The create request as sent, with inline media data replaced by a size note. */
  params?: Record<string, unknown>;
  estimated_cost_usd?: number;
  cost?: number;
  video_url?: string;
  error?: { message: string; code?: string };
  sandbox?: boolean;
  /** The HTTP token's id (never the token) that created the job; absent over stdio. */
  owner?: string;
  created_at: string;
  updated_at: string;
  completed_at?: string;
  file_path?: string;
  sha256?: string;
  bytes?: number;
  downloaded_at?: string;
}

export type JobPatch = Partial<Omit<JobRecord, 'key' | 'created_at' | 'updated_at'>> & {
  /** Moves the record stored under this key (a `local:` key) to the patch's key. */
  replaces?: string;
};

const FILE = 'jobs.jsonl';

function isBlank(line: Buffer): boolean {
  return line.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d);
}

const MAX_INLINE = 256;

/** Keeps URLs, drops inline base64 payloads (they can be megabytes and may be private). */
export function sanitiseParams(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('data:') || (value.length > MAX_INLINE && /^[A-Za-z0-9+/=\s]+$/.test(value))) {
      return `[inline data, ${value.length} chars]`;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(sanitiseParams);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitiseParams(v)]));
  }
  return value;
}

/**
 * The file store: an append-only JSONL ledger in the state dir, for one machine. Not shared in the
 * JobStore sense: the spend check and the rate limit hold within this process, and every process that
 * starts on the folder watches its unfinished jobs (several replicas share state through PostgreSQL).
 */
export class JobLedger implements JobStore {
  readonly shared = false;
  private readonly slots = new RateWindows();
  private readonly downloads = new Map<string, Promise<void>>();
  readonly file: string;
  private jobs = new Map<string, JobRecord>();
  /** Bytes of the file already folded in. */
  private offset = 0;
  private skipped = 0;
  private reading: Promise<void> = Promise.resolve();
  private madeDir: Promise<unknown> | undefined;
  private readonly write: LedgerWrite;

  constructor(
    readonly stateDir: string,
    private readonly logger?: Logger,
    private readonly now: () => Date = () => new Date(),
    /** `write` replaces the one write call, so tests can make it come up short as a full disk does. */
    io: { write?: LedgerWrite } = {},
  ) {
    this.file = path.join(stateDir, FILE);
    this.write = io.write ?? writeOnce;
  }

  static localKey(): string {
    return `local:${randomUUID()}`;
  }

  get where(): string {
    return this.file;
  }

  async recordIntent(key: string, intent: JobPatch, limit: SpendLimit | undefined): Promise<IntentOutcome> {
    if (limit) {
      const spentUsd = spentInLastDay(await this.all(), limit.now);
      if (spentUsd + limit.estimateUsd > limit.maxUsd) return { ok: false, spentUsd };
    }
    return { ok: true, job: await this.record(key, intent) };
  }

  async takeCreateSlot(owner: string, perMinute: number, count: boolean): Promise<number | undefined> {
    return this.slots.take(owner, perMinute, count, this.now().getTime());
  }

  async claimWatch(): Promise<boolean> {
    return true;
  }

  async renewWatches(): Promise<void> {}

  async releaseWatch(): Promise<void> {}

  async claimUnwatched(): Promise<JobRecord[]> {
    return (await this.all()).filter(
      (j) => j.job_id !== undefined && !j.key.startsWith('local:') && !isTerminal(j.status),
    );
  }

  async interruptedCreates(startedAt: number): Promise<JobRecord[]> {
    return (await this.all()).filter(
      (job) => job.status === 'submitting' && Date.parse(job.updated_at) < startedAt,
    );
  }

  /** The ledger is this process's at start-up, when this runs: nothing else writes the record meanwhile. */
  async markInterrupted(key: string, patch: JobPatch): Promise<boolean> {
    if ((await this.get(key))?.status !== 'submitting') return false;
    await this.record(key, patch);
    return true;
  }

  /**
   * One download of a job at a time in this process (an auto-download and a download_video call, say):
   * the second waits, then finds the first's file. Other processes are kept off by the part file's lock.
   */
  withDownloadLock<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.downloads.get(jobId) ?? Promise.resolve()).then(fn, fn);
    const settled = run.then(
      () => {},
      () => {},
    );
    this.downloads.set(jobId, settled);
    void settled.then(() => {
      if (this.downloads.get(jobId) === settled) this.downloads.delete(jobId);
    });
    return run;
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {}

  /**
   * Appends one patch, whole and fsync'd, and returns the job as it now stands; throws a LedgerError
   * (with nothing torn left behind) when the record cannot be written. A patch that changes nothing
   * (a status check that saw the same state) is not written at all.
   */
  async record(key: string, patch: JobPatch): Promise<JobRecord> {
    if (patch.replaces === undefined) {
      await this.refresh();
      const current = this.jobs.get(key);
      if (current && unchanged(current, patch)) return current;
    }
    await this.makeDir();
    await appendRecord(this.file, encodeEntry(key, this.now().toISOString(), patch), this.write, this.logger);
    await this.refresh();
    const job = this.jobs.get(key);
    if (!job)
      throw new LedgerError(
        `The job ledger ${this.file} did not give back the record for ${key} just written to it.`,
        undefined,
        this.file,
      );
    return job;
  }

  async get(key: string): Promise<JobRecord | undefined> {
    await this.refresh();
    return this.jobs.get(key);
  }

  /** Every job, newest first. */
  async all(): Promise<JobRecord[]> {
    await this.refresh();
    return [...this.jobs.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  private makeDir(): Promise<unknown> {
    this.madeDir ??= mkdir(this.stateDir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      this.madeDir = undefined;
      throw folderError(this.stateDir, error);
    });
    return this.madeDir;
  }

  /**
   * Reads what other processes (or this one) appended since the last look. Calls are chained: two
   * overlapping reads from the same offset would fold the same records twice and overshoot it.
   */
  private refresh(): Promise<void> {
    const next = this.reading.then(() => this.readNew());
    this.reading = next.catch(() => {});
    return next;
  }

  private async readNew(): Promise<void> {
    const read = await readFrom(this.file, this.offset);
    if (!read) return;
    if (read.restart) {
      this.jobs.clear();
      this.offset = 0;
    }
    this.offset += this.fold(read.bytes);
  }

  /**
   * Folds the records in `bytes` (read from `this.offset`) and returns how many bytes were used up.
   * Every record starts with a newline, so every piece but the last is complete. The last one may be
   * a record another process is still writing: it is used only if it is a whole valid record, else
   * looked at again next time (a fragment left by a crash becomes a damaged line, skipped, once the
   * next record follows it).
   */
  private fold(bytes: Buffer): number {
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
      this.foldLine(bytes.subarray(start, end), this.offset + start);
      start = end + 1;
    }
    const last = bytes.subarray(start);
    if (last.length === 0) return start;
    const decoded = decodeLine(last);
    if (!decoded.ok) return start;
    this.apply(decoded.entry);
    return bytes.length;
  }

  private foldLine(line: Buffer, position: number): void {
    if (isBlank(line)) return;
    const decoded = decodeLine(line);
    if (decoded.ok) {
      this.apply(decoded.entry);
      return;
    }
    this.skipped += 1;
    this.logger?.warn('skipping a damaged ledger line', {
      file: this.file,
      byte: position,
      reason: decoded.reason,
      skipped: this.skipped,
    });
  }

  private apply(entry: LedgerEntry): void {
    const replaced = entry.replaces !== undefined ? this.jobs.get(entry.replaces) : undefined;
    if (entry.replaces !== undefined) this.jobs.delete(entry.replaces);
    this.jobs.set(entry.key, mergeWrite(this.jobs.get(entry.key), replaced, entry));
  }
}
