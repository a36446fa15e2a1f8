/**
 * The job ledger: every paid job, recorded durably before create_video returns, so a crash, a
 * client time-out or a restart never loses a video someone paid for.
 *
 * Format: an append-only JSON Lines file in the state dir. Each line is a patch to one job; reading
 * folds the patches in order. Appends are single O_APPEND writes followed by fsync, which several
 * server processes can share without locks; each record starts with a newline, so a line cut short
 * by a crash is isolated and skipped instead of corrupting the record after it. No native modules.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.js';

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

function unchanged(current: JobRecord, patch: JobPatch): boolean {
  return Object.entries(patch).every(
    ([field, value]) => JSON.stringify(current[field as keyof JobRecord]) === JSON.stringify(value),
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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

export class JobLedger {
  readonly file: string;
  private jobs = new Map<string, JobRecord>();
  private offset = 0;
  private skipped = 0;
  private reading: Promise<void> = Promise.resolve();
  private madeDir: Promise<unknown> | undefined;

  constructor(
    readonly stateDir: string,
    private readonly logger?: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = path.join(stateDir, FILE);
  }

  static localKey(): string {
    return `local:${randomUUID()}`;
  }

  /**
   * Appends one patch durably (written and fsync'd) and returns the job as it now stands. A patch
   * that changes nothing (a status check that saw the same state) is not written at all.
   * `sync: false` leaves the flush to the next record: the bytes are in the OS's cache, which a
   * crash of this process does not lose (create_video's intent, flushed by the job record after it).
   */
  async record(key: string, patch: JobPatch, options: { sync?: boolean } = {}): Promise<JobRecord> {
    if (patch.replaces === undefined) {
      await this.refresh();
      const current = this.jobs.get(key);
      if (current && unchanged(current, patch)) return current;
    }
    this.madeDir ??= mkdir(this.stateDir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      this.madeDir = undefined;
      throw error;
    });
    await this.madeDir;
    const line = `\n${JSON.stringify({ v: 1, key, at: this.now().toISOString(), ...patch })}`;
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(line);
      if (options.sync !== false) await handle.datasync();
    } finally {
      await handle.close();
    }
    await this.refresh();
    const job = this.jobs.get(key);
    if (!job) throw new Error(`ledger lost the record for ${key}`);
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
    let size: number;
    try {
      size = (await stat(this.file)).size;
    } catch {
      return;
    }
    if (size < this.offset) {
      this.jobs.clear();
      this.offset = 0;
    }
    if (size === this.offset) return;
    const handle = await open(this.file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
    // Every record starts with a newline, so all segments but the last are complete. The last one may be
    // a record another process is still writing: consume it only if it parses, else look again next time
    // (a fragment left by a crash becomes a damaged line, skipped, once the next record follows it).
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    for (const line of lines) this.apply(line);
    let consumed = Buffer.byteLength(text) - Buffer.byteLength(last);
    if (last && isJson(last) && this.apply(last)) consumed += Buffer.byteLength(last);
    this.offset += consumed;
  }

  /** Folds one line into the jobs; false when it is not a whole record. */
  private apply(line: string): boolean {
    if (!line.trim()) return true;
    let entry: { key?: unknown; at?: unknown; replaces?: unknown } & Record<string, unknown>;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      this.skipped += 1;
      this.logger?.warn('skipping a damaged ledger line', { file: this.file, skipped: this.skipped });
      return false;
    }
    if (typeof entry.key !== 'string' || typeof entry.at !== 'string') return true;
    const { key, at, replaces, v: _v, ...fields } = entry;
    const previous =
      (typeof replaces === 'string' ? this.jobs.get(replaces) : undefined) ?? this.jobs.get(key);
    if (typeof replaces === 'string') this.jobs.delete(replaces);
    const merged: JobRecord = {
      ...(previous ?? { status: 'unknown', created_at: at }),
      ...(fields as Partial<JobRecord>),
      key,
      updated_at: at,
    } as JobRecord;
    this.jobs.set(key, merged);
    return true;
  }
}
