/**
 * The PostgreSQL job store (VIDEO_MCP_DATABASE_URL): the ledger, job ownership, spend and the create
 * rate limit in one database that any number of replicas share. What must be exact across the fleet
 * is one transaction under an advisory lock: a patch merged into its row, the spend check with the
 * intent it allows, an owner's create slots. Each job is a row keyed like the file ledger, the record
 * as jsonb beside the columns queries filter on; a patch merges exactly as the file ledger folds it.
 */
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../log.js';
import { fieldsOf, mergeWrite, unchanged } from './job-merge.js';
import type { IntentOutcome, JobStore, SpendLimit } from './job-store.js';
import type { JobPatch, JobRecord } from './ledger.js';
import { describeDatabase, errorCode, passwordsIn, reasonOf, StoreError } from './pg-errors.js';
import * as leases from './pg-leases.js';
import { LOCKS } from './pg-locks.js';
import { migrate, SchemaTooNewError } from './pg-migrations.js';
import { costOf } from './spend.js';

export { describeDatabase, StoreError } from './pg-errors.js';

export interface PgStoreOptions {
  url: string;
  logger: Logger;
  /** This process's name in the fleet: who holds a watch lease, who sent a create. */
  replicaId: string;
  /** How long a watch lease and a replica's heartbeat last without renewal (default 30 s). */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_TIMEOUT_MS = 3_000;
const IMPORT_BATCH = 500;
/** Milliseconds, as records hold their times: a record written after the start never reads as before it. */
const START = "date_trunc('milliseconds', now())";

/** Connects (a pg Pool), migrates the schema and returns the store; a StoreError when it cannot. */
export async function openPgStore(options: PgStoreOptions): Promise<PgJobStore> {
  const { Pool } = await import('pg');
  const where = describeDatabase(options.url);
  const secrets = passwordsIn(options.url);
  const pool = new Pool({
    connectionString: options.url,
    application_name: 'together-video-mcp',
    max: 10,
    connectionTimeoutMillis: 5_000,
    query_timeout: 15_000,
  });
  // An idle client whose server went away emits here; unhandled, it would end the process.
  pool.on('error', (error) =>
    options.logger.warn('a job database connection was lost; the next request reconnects', {
      database: where,
      reason: reasonOf(error, secrets),
    }),
  );
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    const applied = await migrate(client);
    if (applied) options.logger.info('job database schema migrated', { database: where, applied });
  } catch (error) {
    client?.release(true);
    client = undefined;
    await pool.end().catch(() => {});
    if (error instanceof SchemaTooNewError)
      throw new StoreError(
        `The job database ${where} has schema version ${error.found}, newer than this server knows: ` +
          'run the newer version of together-video-mcp, or point VIDEO_MCP_DATABASE_URL at another database.',
        undefined,
      );
    throw new StoreError(
      `Cannot use the job database ${where} (${reasonOf(error, secrets)}). Check that PostgreSQL is running ` +
        'and that VIDEO_MCP_DATABASE_URL (user, password, host, port, database) is right.',
      errorCode(error),
      { cause: error },
    );
  } finally {
    client?.release();
  }
  const store = new PgJobStore(pool, where, secrets, options);
  await store.heartbeat(true);
  return store;
}

export class PgJobStore implements JobStore {
  readonly shared = true;
  private readonly leaseMs: number;
  private readonly holder: leases.LeaseHolder;
  private readonly beat: NodeJS.Timeout;
  private closed = false;

  /** Use openPgStore: it migrates the schema first. */
  constructor(
    private readonly pool: Pool,
    readonly where: string,
    private readonly secrets: readonly string[],
    private readonly options: PgStoreOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.holder = { pool, replicaId: options.replicaId, leaseMs: this.leaseMs };
    this.beat = setInterval(() => void this.heartbeat(false), Math.max(50, this.leaseMs / 3)).unref();
  }

  async record(key: string, patch: JobPatch): Promise<JobRecord> {
    if (patch.replaces === undefined) {
      const current = await this.get(key);
      if (current && unchanged(current, patch)) return current;
    }
    return this.transaction(`recording job ${key}`, (client) => this.write(client, key, patch));
  }

  async get(key: string): Promise<JobRecord | undefined> {
    const { rows } = await this.query<{ record: JobRecord }>(
      `reading job ${key}`,
      'SELECT record FROM jobs WHERE key = $1',
      [key],
    );
    return rows[0]?.record;
  }

  async all(): Promise<JobRecord[]> {
    const { rows } = await this.query<{ record: JobRecord }>(
      'listing jobs',
      'SELECT record FROM jobs ORDER BY created_at DESC, updated_at DESC',
    );
    return rows.map((row) => row.record);
  }

  /** The spend check and the intent in one transaction, under one lock for the whole fleet. */
  async recordIntent(key: string, intent: JobPatch, limit: SpendLimit | undefined): Promise<IntentOutcome> {
    return this.transaction('recording a create before sending it', async (client) => {
      // Taken even without a limit here: a replica configured with one must see this intent.
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCKS.spend]);
      if (limit) {
        const { rows } = await client.query<{ spent: number }>(
          'SELECT coalesce(sum(spend), 0)::float8 AS spent FROM jobs WHERE created_at >= $1',
          [new Date(limit.now - DAY_MS)],
        );
        const spentUsd = Math.round((rows[0]?.spent ?? 0) * 10_000) / 10_000;
        if (spentUsd + limit.estimateUsd > limit.maxUsd) return { ok: false, spentUsd };
      }
      return { ok: true, job: await this.write(client, key, intent, this.options.replicaId) };
    });
  }

  /** A sliding minute of creates per owner, for the whole fleet, on the database's clock. */
  async takeCreateSlot(owner: string, perMinute: number, count: boolean): Promise<number | undefined> {
    return this.transaction('counting creates for the rate limit', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCKS.slots, owner]);
      await client.query("DELETE FROM create_slots WHERE owner = $1 AND at <= now() - interval '1 minute'", [
        owner,
      ]);
      const { rows } = await client.query<{ taken: number; age_ms: number | null }>(
        `SELECT count(*)::int AS taken, (extract(epoch FROM now() - min(at)) * 1000)::float8 AS age_ms
         FROM create_slots WHERE owner = $1`,
        [owner],
      );
      const taken = rows[0]?.taken ?? 0;
      // Clamped: a slot committed by a transaction that began later than this one reads as younger than 0.
      if (taken >= perMinute)
        return Math.min(60, Math.max(1, Math.ceil((60_000 - (rows[0]?.age_ms ?? 0)) / 1000)));
      if (count) await client.query('INSERT INTO create_slots (owner, at) VALUES ($1, now())', [owner]);
      return undefined;
    });
  }

  claimWatch(jobId: string): Promise<boolean> {
    return this.guard(`taking the watch of job ${jobId}`, () => leases.claimWatch(this.holder, jobId));
  }

  renewWatches(jobIds: readonly string[]): Promise<void> {
    return this.guard('renewing job watches', () => leases.renewWatches(this.holder, jobIds));
  }

  releaseWatch(jobId: string): Promise<void> {
    return this.guard(`releasing the watch of job ${jobId}`, () => leases.releaseWatch(this.holder, jobId));
  }

  claimUnwatched(): Promise<JobRecord[]> {
    return this.guard('looking for unwatched jobs', () => leases.claimUnwatched(this.holder));
  }

  /**
   * `submitting` records whose replica is gone: its heartbeat lapsed, it never had one (imported), or
   * it is this replica id restarted (the record is older than this process). A live replica's create
   * in flight is never among them. `_startedAt` is the file store's rule; this store uses its own start,
   * on the database's clock.
   */
  async interruptedCreates(_startedAt: number): Promise<JobRecord[]> {
    const { rows } = await this.query<{ record: JobRecord }>(
      'looking for interrupted creates',
      `SELECT j.record FROM jobs j LEFT JOIN replicas r ON r.id = j.replica
       WHERE j.status = 'submitting' AND (
         r.id IS NULL
         OR r.seen_at < now() - $2 * interval '1 millisecond'
         OR (j.replica = $1 AND j.updated_at < r.started_at))
       ORDER BY j.created_at DESC`,
      [this.options.replicaId, this.leaseMs],
    );
    return rows.map((row) => row.record);
  }

  /** Checked and written in one transaction under the job's lock, so a create answered meanwhile wins. */
  markInterrupted(key: string, patch: JobPatch): Promise<boolean> {
    return this.transaction(`marking the interrupted create ${key}`, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCKS.job, key]);
      const { rows } = await client.query<{ status: string }>('SELECT status FROM jobs WHERE key = $1', [
        key,
      ]);
      if (rows[0]?.status !== 'submitting') return false;
      await this.write(client, key, patch);
      return true;
    });
  }

  withDownloadLock<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    return leases.withDownloadLock(this.pool, jobId, fn, (error) =>
      this.failure(`locking the download of job ${jobId}`, error),
    );
  }

  async check(): Promise<void> {
    try {
      await withTimeout(this.pool.query('SELECT 1'), CHECK_TIMEOUT_MS);
    } catch (error) {
      throw new StoreError(
        `database ${this.where} unreachable: ${reasonOf(error, this.secrets)}`,
        errorCode(error),
        {
          cause: error,
        },
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.beat);
    // Gone on purpose: its interrupted creates (if any) need not wait for the heartbeat to lapse.
    await this.pool.query('DELETE FROM replicas WHERE id = $1', [this.options.replicaId]).catch(() => {});
    await this.pool.end();
  }

  /**
   * Copies a file ledger's jobs in: new keys inserted, existing ones replaced only by a newer record
   * (updated_at), so running it again changes nothing. Returns how many rows it wrote.
   */
  async importJobs(records: readonly JobRecord[]): Promise<number> {
    let written = 0;
    for (let start = 0; start < records.length; start += IMPORT_BATCH) {
      const batch = records.slice(start, start + IMPORT_BATCH).map(columnsOf);
      const result = await this.query(
        'importing jobs',
        `INSERT INTO jobs (key, record, status, owner, job_id, created_at, updated_at, spend)
         SELECT key, record, status, owner, job_id, created_at, updated_at, spend
         FROM jsonb_to_recordset($1::jsonb) AS r(key text, record jsonb, status text, owner text,
           job_id text, created_at timestamptz, updated_at timestamptz, spend float8)
         ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, status = EXCLUDED.status,
           owner = EXCLUDED.owner, job_id = EXCLUDED.job_id, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, spend = EXCLUDED.spend
         WHERE jobs.updated_at < EXCLUDED.updated_at`,
        [JSON.stringify(batch)],
      );
      written += result.rowCount ?? 0;
    }
    return written;
  }

  /** Keeps this replica's row fresh (its creates in flight are not "interrupted" while it lives). */
  async heartbeat(starting: boolean): Promise<void> {
    const sql = starting
      ? `INSERT INTO replicas (id, started_at, seen_at) VALUES ($1, ${START}, now())
         ON CONFLICT (id) DO UPDATE SET started_at = ${START}, seen_at = now()`
      : `INSERT INTO replicas (id, started_at, seen_at) VALUES ($1, now(), now())
         ON CONFLICT (id) DO UPDATE SET seen_at = now()`;
    try {
      await this.pool.query(sql, [this.options.replicaId]);
      // Slots of owners who stopped creating are not deleted by their own next create: done here.
      if (!starting)
        await this.pool.query("DELETE FROM create_slots WHERE at <= now() - interval '1 minute'");
    } catch (error) {
      if (starting) throw this.failure('registering this replica', error);
      this.options.logger.debug('job database heartbeat failed', { reason: reasonOf(error, this.secrets) });
    }
  }

  /** Merges `patch` into its row (and the `local:` row it replaces) under the job's lock. */
  private async write(
    client: PoolClient,
    key: string,
    patch: JobPatch,
    replica?: string,
  ): Promise<JobRecord> {
    const { replaces } = patch;
    const keys = [...new Set(replaces !== undefined ? [key, replaces] : [key])].sort();
    // One order for every writer, so two writers of the same pair never deadlock.
    for (const k of keys)
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCKS.job, k]);
    // The time as the records hold it (ISO, milliseconds), cut on the database's side like started_at.
    const { rows } = await client.query<{
      at: string;
      current: JobRecord | null;
      replaced: JobRecord | null;
    }>(
      `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
              (SELECT record FROM jobs WHERE key = $1) AS current,
              (SELECT record FROM jobs WHERE key = $2) AS replaced`,
      [key, replaces ?? null],
    );
    const row = rows[0];
    const current = row?.current ?? undefined;
    if (replaces === undefined && current && unchanged(current, patch)) return current;
    const at = row?.at ?? new Date().toISOString();
    const job = mergeWrite(current, row?.replaced ?? undefined, {
      key,
      at,
      ...(replaces !== undefined ? { replaces } : {}),
      fields: fieldsOf(patch),
    });
    if (replaces !== undefined && replaces !== key)
      await client.query('DELETE FROM jobs WHERE key = $1', [replaces]);
    await client.query(
      `INSERT INTO jobs (key, record, status, owner, job_id, created_at, updated_at, spend, replica)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, status = EXCLUDED.status,
         owner = EXCLUDED.owner, job_id = EXCLUDED.job_id, created_at = EXCLUDED.created_at,
         updated_at = EXCLUDED.updated_at, spend = EXCLUDED.spend`,
      [
        job.key,
        JSON.stringify(job),
        job.status,
        job.owner ?? null,
        job.job_id ?? null,
        job.created_at,
        job.updated_at,
        costOf(job),
        replica ?? null,
      ],
    );
    return job;
  }

  private async query<Row extends object>(
    doing: string,
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Row[]; rowCount: number | null }> {
    return this.guard(doing, () => this.pool.query<Row>(text, values));
  }

  private async guard<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.failure(doing, error);
    }
  }

  private async transaction<T>(doing: string, run: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(doing, error);
    }
    try {
      await client.query('BEGIN');
      const result = await run(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // A client that failed may be a dead connection: ended, not handed to the next caller.
      client.release(true);
      throw this.failure(doing, error);
    }
  }

  private failure(doing: string, error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    return new StoreError(
      `The job database ${this.where} failed while ${doing} (${reasonOf(error, this.secrets)}). ` +
        'Check that PostgreSQL is running and reachable; the server retries on the next request.',
      errorCode(error),
      { cause: error },
    );
  }
}

/** A record as the jobs table's columns (without the replica and lease columns). */
function columnsOf(job: JobRecord): Record<string, unknown> {
  return {
    key: job.key,
    record: job,
    status: job.status,
    owner: job.owner ?? null,
    job_id: job.job_id ?? null,
    created_at: job.created_at,
    updated_at: job.updated_at,
    spend: costOf(job),
  };
}

/** The promise, or an error once `ms` pass (the query itself ends later, at the pool's query_timeout). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
