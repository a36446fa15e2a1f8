/**
 * Who in the fleet does what for a job: the watch lease (one watcher per unfinished job, taken over
 * when its lease lapses) and the download lock (one download per job at a time). Lease times are the
 * database's clock, so replicas whose clocks disagree still agree on who holds a job.
 */
import type { Pool, PoolClient } from 'pg';
import { TERMINAL_STATUSES } from '../together/types.js';
import type { JobRecord } from './ledger.js';
import { LOCKS } from './pg-locks.js';

export interface LeaseHolder {
  pool: Pool;
  replicaId: string;
  leaseMs: number;
}

const LEASE = "now() + $2 * interval '1 millisecond'";

/** True when this replica now holds the job's watch (or no one can: the job is not in the store). */
export async function claimWatch({ pool, replicaId, leaseMs }: LeaseHolder, jobId: string): Promise<boolean> {
  const { rows } = await pool.query<{ mine: boolean }>(
    `WITH claimed AS (
       UPDATE jobs SET watcher = $1, watch_until = ${LEASE}
       WHERE key = $3 AND (watcher IS NULL OR watcher = $1 OR watch_until IS NULL OR watch_until < now())
       RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM claimed) OR NOT EXISTS (SELECT 1 FROM jobs WHERE key = $3) AS mine`,
    [replicaId, leaseMs, jobId],
  );
  return rows[0]?.mine === true;
}

export async function renewWatches(
  { pool, replicaId, leaseMs }: LeaseHolder,
  jobIds: readonly string[],
): Promise<void> {
  if (jobIds.length === 0) return;
  await pool.query(`UPDATE jobs SET watch_until = ${LEASE} WHERE watcher = $1 AND key = ANY($3::text[])`, [
    replicaId,
    leaseMs,
    jobIds,
  ]);
}

export async function releaseWatch({ pool, replicaId }: LeaseHolder, jobId: string): Promise<void> {
  await pool.query('UPDATE jobs SET watcher = NULL, watch_until = NULL WHERE key = $2 AND watcher = $1', [
    replicaId,
    jobId,
  ]);
}

/**
 * Takes every unfinished job whose lease is free or lapsed (and any this replica id still holds from
 * before a restart). SKIP LOCKED: replicas looking at once take disjoint sets instead of waiting.
 */
export async function claimUnwatched({ pool, replicaId, leaseMs }: LeaseHolder): Promise<JobRecord[]> {
  const { rows } = await pool.query<{ record: JobRecord }>(
    `UPDATE jobs SET watcher = $1, watch_until = ${LEASE}
     WHERE key IN (
       SELECT key FROM jobs
       WHERE job_id IS NOT NULL AND key NOT LIKE 'local:%' AND status <> ALL($3::text[])
         AND (watcher IS NULL OR watcher = $1 OR watch_until IS NULL OR watch_until < now())
       FOR UPDATE SKIP LOCKED
     )
     RETURNING record`,
    [replicaId, leaseMs, TERMINAL_STATUSES],
  );
  return rows.map((row) => row.record).sort((a, b) => b.created_at.localeCompare(a.created_at));
}

const LOCK_RETRY_MS = 200;

/**
 * Runs `fn` holding a session advisory lock on the job, on a client kept for the whole download.
 * While another replica holds it, this one tries again now and then, holding no client meanwhile,
 * so a queue of waiting downloads never starves the pool.
 */
export async function withDownloadLock<T>(
  pool: Pool,
  jobId: string,
  fn: () => Promise<T>,
  /** What to throw when the database fails while the lock is being taken (fn's errors pass as they are). */
  failed: (error: unknown) => Error,
): Promise<T> {
  for (;;) {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw failed(error);
    }
    let locked = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [LOCKS.download, jobId],
      );
      locked = rows[0]?.locked === true;
    } catch (error) {
      client.release(true);
      throw failed(error);
    }
    if (!locked) {
      client.release();
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      continue;
    }
    let broken: Error | undefined;
    try {
      return await fn();
    } finally {
      try {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCKS.download, jobId]);
      } catch (error) {
        // A session that cannot unlock is ended instead: its lock goes with it.
        broken = error instanceof Error ? error : new Error(String(error));
      }
      client.release(broken ?? false);
    }
  }
}
