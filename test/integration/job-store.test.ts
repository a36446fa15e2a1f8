/**
 * The JobStore contract, the same tests against both stores: the file ledger in a temp dir and
 * PostgreSQL (a real server, a fresh database per test). What only the database has (import, the
 * errors naming it) follows; the fleet's concurrency is in pg-fleet.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../../src/jobs/job-store.js';
import { JobLedger, type JobRecord } from '../../src/jobs/ledger.js';
import { describeDatabase, openPgStore, type PgJobStore, StoreError } from '../../src/jobs/pg-store.js';
import { createLogger } from '../../src/log.js';
import { adminPassword, freshDatabase } from '../helpers/postgres.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every log line the stores wrote, to check no password is among them. */
const logLines: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });

async function fileStore(): Promise<JobStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-store-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return new JobLedger(dir, logger);
}

async function pgStore(url?: string, replicaId = 'replica-1'): Promise<PgJobStore> {
  const store = await openPgStore({ url: url ?? (await freshDatabase()), logger, replicaId });
  cleanups.push(() => store.close());
  return store;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  { name: 'file ledger', open: fileStore },
  { name: 'PostgreSQL', open: () => pgStore() },
])('JobStore: $name', ({ open }) => {
  it('records, reads back, merges patches and lists newest first', async () => {
    const store = await open();
    const first = await store.record('job-a', { job_id: 'job-a', status: 'queued', model: 'm1' });
    expect(first).toMatchObject({ key: 'job-a', job_id: 'job-a', status: 'queued', model: 'm1' });
    expect(first.created_at).toBe(first.updated_at);
    await sleep(5);
    const merged = await store.record('job-a', { status: 'in_progress', cost: 0.5 });
    expect(merged).toMatchObject({ key: 'job-a', status: 'in_progress', model: 'm1', cost: 0.5 });
    expect(merged.created_at).toBe(first.created_at);
    expect(Date.parse(merged.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));
    expect(await store.get('job-a')).toEqual(merged);
    expect(await store.get('job-none')).toBeUndefined();
    await sleep(5);
    await store.record('job-b', { job_id: 'job-b', status: 'queued' });
    expect((await store.all()).map((j) => j.key)).toEqual(['job-b', 'job-a']);
  });

  it('a patch that changes nothing is not written (updated_at stays)', async () => {
    const store = await open();
    const first = await store.record('job-a', { job_id: 'job-a', status: 'queued', error: { message: 'x' } });
    await sleep(5);
    const again = await store.record('job-a', { status: 'queued', error: { message: 'x' } });
    expect(again.updated_at).toBe(first.updated_at);
    const changed = await store.record('job-a', { status: 'queued', error: { message: 'y' } });
    expect(changed.updated_at).not.toBe(first.updated_at);
  });

  it('markInterrupted marks a create still submitting, and never brings back one answered meanwhile', async () => {
    const store = await open();
    const cut = JobLedger.localKey();
    await store.record(cut, { status: 'submitting', model: 'm' });
    const note = { status: 'unknown', error: { message: 'may exist' } };
    expect(await store.markInterrupted(cut, note)).toBe(true);
    expect((await store.get(cut))?.status).toBe('unknown');
    const answered = JobLedger.localKey();
    await store.record(answered, { status: 'submitting', model: 'm' });
    await store.record('job-answered', { replaces: answered, job_id: 'job-answered', status: 'queued' });
    expect(await store.markInterrupted(answered, note)).toBe(false);
    expect(await store.get(answered)).toBeUndefined();
    expect((await store.get('job-answered'))?.status).toBe('queued');
  });

  it('replaces moves a local: record to the job id, keeping its fields and dropping its error', async () => {
    const store = await open();
    const local = JobLedger.localKey();
    const intent = await store.record(local, {
      status: 'submitting',
      owner: 'token:o',
      estimated_cost_usd: 0.3,
    });
    await store.record(local, { status: 'unknown', error: { message: 'the server stopped' } });
    await sleep(5);
    const job = await store.record('job-1', { replaces: local, job_id: 'job-1', status: 'queued' });
    expect(job).toMatchObject({ key: 'job-1', job_id: 'job-1', status: 'queued', owner: 'token:o' });
    expect(job.error).toBeUndefined();
    expect(job.created_at).toBe(intent.created_at);
    expect(job).not.toHaveProperty('replaces');
    expect(await store.get(local)).toBeUndefined();
    expect((await store.all()).map((j) => j.key)).toEqual(['job-1']);
  });

  it('recordIntent without a limit records; with one, passes exactly what fits in 24 h', async () => {
    const store = await open();
    const free = await store.recordIntent(
      'local:free',
      { status: 'submitting', estimated_cost_usd: 9 },
      undefined,
    );
    expect(free).toMatchObject({ ok: true, job: { key: 'local:free', status: 'submitting' } });
    const limit = { maxUsd: 10, estimateUsd: 0.5, now: Date.now() };
    const fits = await store.recordIntent(
      'local:a',
      { status: 'submitting', estimated_cost_usd: 0.5 },
      limit,
    );
    expect(fits.ok).toBe(true);
    // A failed job without a charge costs nothing, a charged one its cost.
    await store.record('local:free', { status: 'failed' });
    await store.record('job-c', { job_id: 'job-c', status: 'completed', cost: 9.25 });
    const over = await store.recordIntent(
      'local:b',
      { status: 'submitting', estimated_cost_usd: 0.5 },
      limit,
    );
    expect(over).toEqual({ ok: false, spentUsd: 9.75 });
    expect(await store.get('local:b')).toBeUndefined();
    // A day later the window is empty again.
    const tomorrow = { ...limit, now: Date.now() + 25 * 60 * 60 * 1000 };
    expect((await store.recordIntent('local:c', { status: 'submitting' }, tomorrow)).ok).toBe(true);
  });

  it('takeCreateSlot: a sliding minute per owner; count=false only looks', async () => {
    const store = await open();
    expect(await store.takeCreateSlot('token:a', 2, false)).toBeUndefined();
    expect(await store.takeCreateSlot('token:a', 2, true)).toBeUndefined();
    expect(await store.takeCreateSlot('token:a', 2, true)).toBeUndefined();
    const wait = await store.takeCreateSlot('token:a', 2, false);
    expect(wait).toBeGreaterThanOrEqual(45);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await store.takeCreateSlot('token:a', 2, true)).toBeLessThanOrEqual(wait ?? 0);
    expect(await store.takeCreateSlot('token:b', 2, true)).toBeUndefined();
  });

  it('watches: claims, renewals and releases; claimUnwatched gives the unfinished jobs', async () => {
    const store = await open();
    await store.record('job-run', { job_id: 'job-run', status: 'in_progress', model: 'm' });
    await store.record('job-queued', { job_id: 'job-queued', status: 'queued' });
    await store.record('job-done', { job_id: 'job-done', status: 'completed' });
    await store.record('job-failed', { job_id: 'job-failed', status: 'failed' });
    await store.record(JobLedger.localKey(), { status: 'submitting' });
    await store.record('no-id', { status: 'queued' });
    expect(await store.claimWatch('job-run')).toBe(true);
    await store.renewWatches(['job-run']);
    await store.releaseWatch('job-run');
    const unwatched = await store.claimUnwatched();
    expect(unwatched.map((j) => j.key).sort()).toEqual(['job-queued', 'job-run']);
    // The same process asking again is given them again (it follows each job once).
    expect((await store.claimUnwatched()).map((j) => j.key).sort()).toEqual(['job-queued', 'job-run']);
    expect(await store.claimWatch('job-queued')).toBe(true);
  });

  it('withDownloadLock runs the download, passes its result and its own error through', async () => {
    const store = await open();
    expect(await store.withDownloadLock('job-a', async () => 42)).toBe(42);
    const own = new Error('the download failed');
    await expect(store.withDownloadLock('job-a', () => Promise.reject(own))).rejects.toBe(own);
    // Released after a failure: taken again at once.
    expect(await store.withDownloadLock('job-a', async () => 'again')).toBe('again');
  });

  it('check passes on a working store', async () => {
    const store = await open();
    await expect(store.check()).resolves.toBeUndefined();
  });

  it('interruptedCreates: a create this process did not send is interrupted, its own is not', async () => {
    const store = await open();
    await store.recordIntent('local:old', { status: 'submitting' }, undefined);
    await store.record('job-q', { job_id: 'job-q', status: 'queued' });
    await sleep(5);
    const startedAt = Date.now();
    await sleep(5);
    await store.recordIntent('local:mine', { status: 'submitting' }, undefined);
    const interrupted = (await store.interruptedCreates(startedAt)).map((j) => j.key);
    if (store.shared) {
      // In a fleet the old intent is this live replica's own create in flight: left alone.
      expect(interrupted).toEqual([]);
    } else {
      expect(interrupted).toEqual(['local:old']);
    }
  });
});

describe('PostgreSQL store only', () => {
  it('interruptedCreates: another live replica’s create is left alone; a gone or restarted one’s is marked', async () => {
    const url = await freshDatabase();
    const a = await openPgStore({ url, logger, replicaId: 'replica-a', leaseMs: 60_000 });
    const b = await pgStore(url, 'replica-b');
    await a.recordIntent('local:a', { status: 'submitting' }, undefined);
    expect(await b.interruptedCreates(Date.now())).toEqual([]);
    // Replica a restarts under the same id: its create from before the restart is interrupted.
    const a2 = await pgStore(url, 'replica-a');
    expect((await a2.interruptedCreates(Date.now())).map((j) => j.key)).toEqual(['local:a']);
    await a.close();
    // Closed: gone on purpose.
    await a2.close();
    expect((await b.interruptedCreates(Date.now())).map((j) => j.key)).toEqual(['local:a']);
  });

  it('interruptedCreates: a replica whose heartbeat lapsed is gone', async () => {
    const url = await freshDatabase();
    const a = await pgStore(url, 'replica-a');
    const b = await openPgStore({ url, logger, replicaId: 'replica-b', leaseMs: 1_000 });
    cleanups.push(() => b.close());
    await a.recordIntent('local:a', { status: 'submitting' }, undefined);
    expect(await b.interruptedCreates(Date.now())).toEqual([]);
    // As if replica-a stopped beating 2 s ago (it beats every 10 s: it will not refresh it here).
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("UPDATE replicas SET seen_at = now() - interval '2 seconds' WHERE id = 'replica-a'");
    await admin.end();
    expect((await b.interruptedCreates(Date.now())).map((j) => j.key)).toEqual(['local:a']);
  });

  it('importJobs copies a file ledger in; a second import changes nothing; the newer record wins', async () => {
    const ledger = (await fileStore()) as JobLedger;
    const local = JobLedger.localKey();
    await ledger.recordIntent(
      local,
      { status: 'submitting', owner: 'token:o', estimated_cost_usd: 1.5 },
      undefined,
    );
    await ledger.record('job-1', { replaces: local, job_id: 'job-1', status: 'queued' });
    await ledger.record('job-2', {
      job_id: 'job-2',
      status: 'completed',
      cost: 2,
      params: { prompt: 'a heron' },
    });
    await ledger.record('local:lost', { status: 'unknown', error: { message: 'stopped' } });
    const store = await pgStore();
    expect(await store.importJobs(await ledger.all())).toBe(3);
    expect(await store.all()).toEqual(await ledger.all());
    expect(await store.importJobs(await ledger.all())).toBe(0);
    // The store's own newer record is kept over the file's older one; a newer file record replaces it.
    const older = (await ledger.get('job-1')) as JobRecord;
    await sleep(5);
    await store.record('job-1', { status: 'completed' });
    expect(await store.importJobs([older])).toBe(0);
    expect((await store.get('job-1'))?.status).toBe('completed');
    await sleep(5);
    const newer = await ledger.record('job-1', { status: 'failed', error: { message: 'x' } });
    expect(await store.importJobs([newer])).toBe(1);
    expect(await store.get('job-1')).toEqual(newer);
    // Imported jobs count toward the spend limit like any other.
    const limit = { maxUsd: 2.5, estimateUsd: 1, now: Date.now() };
    expect(await store.recordIntent('local:x', { status: 'submitting' }, limit)).toEqual({
      ok: false,
      spentUsd: 2,
    });
  });

  it('two starts at once migrate once; a restart migrates nothing', async () => {
    const url = await freshDatabase();
    const lines: string[] = [];
    const counting = createLogger({ write: (line) => lines.push(line) });
    const stores = await Promise.all(
      ['r1', 'r2', 'r3'].map((replicaId) => openPgStore({ url, logger: counting, replicaId })),
    );
    for (const store of stores) cleanups.push(() => store.close());
    expect(lines.filter((l) => l.includes('schema migrated'))).toHaveLength(1);
    await pgStore(url, 'r4');
    expect(lines.filter((l) => l.includes('schema migrated'))).toHaveLength(1);
  });

  it('a database it cannot log in to or reach: a StoreError naming it, never with the password', async () => {
    const url = new URL(await freshDatabase());
    const password = adminPassword();
    expect(url.toString()).toContain(encodeURIComponent(password));
    const wrong = new URL(url);
    wrong.password = encodeURIComponent(`${password}-wrong`);
    const refused = await openPgStore({ url: wrong.toString(), logger, replicaId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StoreError);
    const refusedText = (refused as StoreError).message;
    expect(refusedText).toContain(
      `Cannot use the job database postgres://postgres@127.0.0.1:${url.port}${url.pathname}`,
    );
    expect(refusedText).toMatch(/password authentication failed/);

    const closed = new URL(url);
    closed.port = '1';
    const unreachable = await openPgStore({ url: closed.toString(), logger, replicaId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(unreachable).toBeInstanceOf(StoreError);
    expect((unreachable as StoreError).message).toMatch(
      /postgres:\/\/postgres@127\.0\.0\.1:1\/tvm_\w+ \(connect ECONNREFUSED/,
    );

    for (const text of [refusedText, (unreachable as StoreError).message, ...logLines]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
  });

  it('describeDatabase names user, host, port and database, never the password', () => {
    expect(describeDatabase('postgres://app:hunter2@db.internal:6432/videos?sslmode=require')).toBe(
      'postgres://app@db.internal:6432/videos',
    );
    expect(describeDatabase('postgresql://app:p%40ss@localhost/videos')).toBe(
      'postgres://app@localhost:5432/videos',
    );
    expect(describeDatabase('postgres:///videos?host=/run/postgresql&password=hunter2')).toBe(
      'postgres:///run/postgresql:5432/videos',
    );
    expect(describeDatabase('not a url: hunter2')).not.toContain('hunter2');
  });
});
