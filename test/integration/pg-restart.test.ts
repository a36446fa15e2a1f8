/**
 * The database stopped and started again under a running store (a server of this test's own): while
 * it is down every call fails with a StoreError that names the database and says what to check,
 * never its password; once it is back the same store works again (the pool reconnects).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, type PgJobStore, StoreError } from '../../src/jobs/pg-store.js';
import { createLogger } from '../../src/log.js';
import { creates, startHarness, structured, textOf } from '../helpers/harness.js';
import { adminPassword, freshDatabase, ownPostgres } from '../helpers/postgres.js';
import type { PostgresServer } from '../helpers/postgres-server.js';

let server: PostgresServer;
let store: PgJobStore;
const logLines: string[] = [];

beforeAll(async () => {
  server = await ownPostgres();
  const url = await freshDatabase(server.url());
  store = await openPgStore({
    url,
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    replicaId: 'replica-1',
    leaseMs: 300,
  });
});

afterAll(async () => {
  await store?.close();
  await server?.destroy();
});

async function failure(call: Promise<unknown>): Promise<StoreError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('PostgreSQL job store: the database restarted', () => {
  it('fails clearly while the database is down and works again once it is back', async () => {
    await store.record('job-1', { job_id: 'job-1', status: 'queued' });
    await store.withDownloadLock('job-1', async () => {});
    await server.stop();
    const where = `postgres://postgres@127.0.0.1:${server.port}/`;

    const messages: string[] = [];
    const checked = await failure(store.check());
    expect(checked.message).toMatch(
      new RegExp(`^database ${where.replace(/[.]/g, '\\.')}tvm_\\w+ unreachable: .*ECONNREFUSED`),
    );
    messages.push(checked.message);
    const calls: Promise<unknown>[] = [
      store.record('job-1', { status: 'in_progress' }),
      store.get('job-1'),
      store.all(),
      store.recordIntent('local:x', { status: 'submitting' }, { maxUsd: 5, estimateUsd: 1, now: Date.now() }),
      store.takeCreateSlot('token:a', 5, true),
      store.claimWatch('job-1'),
      store.claimUnwatched(),
      store.renewWatches(['job-1']),
      store.releaseWatch('job-1'),
      store.interruptedCreates(Date.now()),
      store.withDownloadLock('job-1', async () => 'never'),
    ];
    for (const call of calls) {
      const error = await failure(call);
      expect(error.message).toContain(`The job database ${where}`);
      expect(error.message).toContain('Check that PostgreSQL is running');
      messages.push(error.message);
    }
    // The heartbeat fails quietly meanwhile (at debug), and the process stays up.
    await new Promise((resolve) => setTimeout(resolve, 300));

    await server.start();
    await expect(store.check()).resolves.toBeUndefined();
    expect(await store.record('job-1', { status: 'in_progress' })).toMatchObject({ status: 'in_progress' });
    expect(await store.recordIntent('local:y', { status: 'submitting' }, undefined)).toMatchObject({
      ok: true,
    });
    expect(await store.withDownloadLock('job-1', async () => 'downloaded')).toBe('downloaded');
    expect((await store.all()).map((j) => j.key).sort()).toEqual(['job-1', 'local:y']);

    const password = adminPassword();
    for (const text of [...messages, ...logLines]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    expect(logLines.some((l) => l.includes('heartbeat failed'))).toBe(true);
  });
});

describe('create_video on the PostgreSQL store while the database restarts (SDK client, emulator)', () => {
  const ARGS = { model: 'ByteDance/Seedance-1.0-lite', prompt: 'a heron in the rain', wait_seconds: 0 };

  it('sends nothing while the database is down, says which database and why, and creates again once it is back', async () => {
    const url = await freshDatabase(server.url());
    const ledger = await openPgStore({
      url,
      logger: createLogger({ level: 'silent' }),
      replicaId: 'replica-2',
    });
    const h = await startHarness({ app: { ledger } });
    try {
      const first = await h.call('create_video', ARGS);
      expect(first.isError).toBeFalsy();
      const firstId = structured<{ job_id: string }>(first).job_id;
      expect((await ledger.get(firstId))?.status).toBeDefined();

      await server.stop();
      const refused = await h.call('create_video', ARGS);
      expect(refused.isError).toBe(true);
      const text = textOf(refused);
      expect(text).toMatch(
        new RegExp(`The job database postgres://postgres@127\\.0\\.0\\.1:${server.port}/tvm_\\w+ failed`),
      );
      expect(text).toMatch(/ECONNREFUSED/);
      expect(text).toMatch(/Nothing was sent to Together and nothing was charged/);
      expect(creates(h.emulator)).toBe(1);

      await server.start();
      const again = await h.call('create_video', ARGS);
      expect(again.isError).toBeFalsy();
      expect(creates(h.emulator)).toBe(2);
      const secondId = structured<{ job_id: string }>(again).job_id;
      expect((await ledger.all()).map((j) => j.key).sort()).toEqual([firstId, secondId].sort());

      const password = adminPassword();
      for (const line of [text, ...h.logs]) {
        expect(line).not.toContain(password);
        expect(line).not.toContain(encodeURIComponent(password));
      }
    } finally {
      await h.close();
      await ledger.close();
    }
  });
});
