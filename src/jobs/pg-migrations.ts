/**
 * The job database's schema, created and brought up to date at every start. Each migration runs
 * once, in its own transaction, and is noted in schema_migrations; replicas starting together take
 * turns (a session advisory lock), so the second finds the work done. A migration, once released,
 * is never edited: a change is a new one at the end.
 */
import type { PoolClient } from 'pg';
import { LOCKS } from './pg-locks.js';

const MIGRATIONS: readonly string[] = [
  // 1: jobs (the record as jsonb, plus the columns queries filter on), create slots, replicas.
  `CREATE TABLE jobs (
     key text PRIMARY KEY,
     record jsonb NOT NULL,
     status text NOT NULL,
     owner text,
     job_id text,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     spend double precision NOT NULL DEFAULT 0,
     replica text,
     watcher text,
     watch_until timestamptz
   );
   CREATE INDEX jobs_created_at ON jobs (created_at DESC);
   CREATE INDEX jobs_owner ON jobs (owner, created_at DESC);
   CREATE INDEX jobs_unfinished ON jobs (watch_until)
     WHERE job_id IS NOT NULL AND status NOT IN ('completed', 'failed', 'cancelled');
   CREATE INDEX jobs_submitting ON jobs (replica) WHERE status = 'submitting';
   CREATE TABLE create_slots (owner text NOT NULL, at timestamptz NOT NULL);
   CREATE INDEX create_slots_owner_at ON create_slots (owner, at);
   CREATE TABLE replicas (
     id text PRIMARY KEY,
     started_at timestamptz NOT NULL,
     seen_at timestamptz NOT NULL
   );`,
];

/** The schema version this code writes. */
const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(readonly found: number) {
    super(`schema version ${found} is newer than this server's ${SCHEMA_VERSION}`);
  }
}

/** Brings the schema up to date; returns how many migrations this call applied. */
export async function migrate(client: PoolClient): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1, 0)', [LOCKS.migrate]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version - 1] as string);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
    return SCHEMA_VERSION - current;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCKS.migrate]).catch(() => {});
  }
}
