/**
 * Where jobs live. Two stores keep them: the file ledger (ledger.ts, the embedded default: one
 * machine, stdio) and PostgreSQL (VIDEO_MCP_DATABASE_URL: any number of replicas). Everything a fleet
 * must agree on goes through here, so it is exact wherever the store is shared: the spend limit, the
 * create rate limit, who watches which unfinished job, who downloads which file.
 */
import type { JobPatch, JobRecord } from './ledger.js';

/** VIDEO_MCP_MAX_SPEND_USD as a create sees it: the estimate must fit under the cap with the last 24 h. */
export interface SpendLimit {
  maxUsd: number;
  estimateUsd: number;
  /** Epoch ms; the window is the 24 hours before it. */
  now: number;
}

export type IntentOutcome = { ok: true; job: JobRecord } | { ok: false; spentUsd: number };

export interface JobStore {
  /** Where the jobs are, for messages: the ledger file's path, or the database (never its password). */
  readonly where: string;
  /** True when other processes share this store: watches are leased, so each job has one watcher. */
  readonly shared: boolean;

  /**
   * Stores one patch durably (committed, fsync'd) and returns the job as it now stands; throws a
   * UserFacingError (a LedgerError for the file) when it cannot. A patch that changes nothing is not
   * written. `patch.replaces` moves a `local:` record to the Together job id.
   */
  record(key: string, patch: JobPatch): Promise<JobRecord>;
  get(key: string): Promise<JobRecord | undefined>;
  /** Every job, newest first. */
  all(): Promise<JobRecord[]>;

  /**
   * Records a create's intent (status `submitting`) only if `limit` allows it: the check and the
   * write are one step, so concurrent creates from any number of replicas pass exactly as many as fit.
   */
  recordIntent(key: string, intent: JobPatch, limit: SpendLimit | undefined): Promise<IntentOutcome>;

  /**
   * A sliding one-minute window of creates per owner. Undefined when allowed (and counted, unless
   * `count` is false); otherwise the seconds until the next create is allowed.
   */
  takeCreateSlot(owner: string, perMinute: number, count: boolean): Promise<number | undefined>;

  /** Takes the watch of one unfinished job for this process; false when another holds it. */
  claimWatch(jobId: string): Promise<boolean>;
  /** Keeps this process's watches (a lease that lapses lets another take the job over). */
  renewWatches(jobIds: readonly string[]): Promise<void>;
  releaseWatch(jobId: string): Promise<void>;
  /** Unfinished jobs nobody watches (never started, or their watcher died), now watched by this process. */
  claimUnwatched(): Promise<JobRecord[]>;

  /**
   * Creates left `submitting` that no answer will ever reach: their process stopped while the POST was
   * in flight. The file store: those written before `startedAt` (this process's start). A shared store:
   * those whose process is gone (its heartbeat lapsed, or it is this replica restarted), never another
   * live replica's create in flight.
   */
  interruptedCreates(startedAt: number): Promise<JobRecord[]>;

  /**
   * Marks a create cut short (`submitting`) with `patch`, only while it is still submitting: its
   * answer may have come in the meantime (the record moved to the job id), and a note about the
   * create must then not bring its old key back. True when it was written.
   */
  markInterrupted(key: string, patch: JobPatch): Promise<boolean>;

  /** Runs `fn` while no other process downloads this job (the file store: the part file's own lock). */
  withDownloadLock<T>(jobId: string, fn: () => Promise<T>): Promise<T>;

  /** Throws a UserFacingError saying what is wrong when the store cannot be used now (for /healthz). */
  check(): Promise<void>;
  close(): Promise<void>;
}
