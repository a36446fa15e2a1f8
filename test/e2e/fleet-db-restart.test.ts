/**
 * Issue 13: the database stopped under a running fleet and started again. Two replicas of the bin on
 * one PostgreSQL server of this test's own, behind the round-robin proxy. While it is down: /healthz
 * answers 503 with `store.ok: false`, create_video is refused with an error that names the database
 * (never its password) and sends nothing to Together, get_video_status answers or says why. Once it is
 * back: /healthz 200, creates work, and a job that finished at Together meanwhile is recorded by the
 * replica that was watching it, with no call asking about it.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernHttp } from '../helpers/modern-client.js';
import { adminPassword, freshDatabase, ownPostgres } from '../helpers/postgres.js';
import type { PostgresServer } from '../helpers/postgres-server.js';
import {
  clearEmulatorRequests,
  emulatorCreates,
  type Fleet,
  healthOf,
  startFleet,
} from '../helpers/replica-fleet.js';
import { ensureBuilt, type ListeningBin, spawnEmulatorBin } from '../helpers/spawn-bin.mjs';

const KEY = 'fleet-restart-key-0123456789';
const MODEL = 'minimax/hailuo-02';

const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Log lines where a background watch of `jobId` failed (and will retry). */
function watchFailures(logs: string, jobId: string): number {
  return logs
    .split('\n')
    .filter((line) => line.includes('"msg":"background watch failed; will retry"'))
    .filter((line) => (JSON.parse(line) as { job_id?: string }).job_id === jobId).length;
}

describe('the database restarted under a fleet of two replicas', () => {
  let server: PostgresServer;
  let database: string;
  let emulator: ListeningBin;
  let fleet: Fleet;
  let client: Client;

  beforeAll(async () => {
    ensureBuilt();
    server = await ownPostgres();
    database = await freshDatabase(server.url());
    // A second's job: it finishes at Together while the database is down.
    emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '1']);
    fleet = await startFleet(2, {
      TOGETHER_API_KEY: KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_DATABASE_URL: database,
    });
    client = await modernHttp(fleet.proxy.url);
  });
  afterAll(async () => {
    await client?.close();
    await fleet?.stop();
    await emulator?.stop();
    await server?.destroy();
  });

  const create = (prompt: string): Promise<CallToolResult> =>
    client.callTool({
      name: 'create_video',
      arguments: { model: MODEL, prompt, wait_seconds: 0 },
    }) as Promise<CallToolResult>;

  /** The job's status as the database holds it (read directly: no tool call records it). */
  async function storedStatus(jobId: string): Promise<string | undefined> {
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    try {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM jobs WHERE key = $1', [jobId]);
      return rows[0]?.status;
    } finally {
      await db.end();
    }
  }

  async function emulatorStatus(jobId: string): Promise<string> {
    const res = await fetch(`${emulator.url}/v2/videos/${jobId}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    return ((await res.json()) as { status: string }).status;
  }

  it('answers 503 and refuses creates while it is down, then records what finished meanwhile', async () => {
    const said: string[] = [];
    const created = await create('before the outage');
    expect(created.isError, textOf(created)).toBeFalsy();
    const jobId = (created.structuredContent as { job_id: string }).job_id;
    expect(await storedStatus(jobId)).not.toBe('completed');

    await server.stop();
    await clearEmulatorRequests(emulator.url);
    const where = `postgres://postgres@127.0.0.1:${server.port}/${new URL(database).pathname.slice(1)}`;

    for (const replica of fleet.replicas) {
      const health = await healthOf(replica);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'store_unavailable',
        store: { kind: 'postgres', ok: false },
      });
      said.push(health.text);
    }

    // Both replicas refuse (the proxy alternates), naming the database; nothing reaches Together.
    for (const prompt of ['during the outage', 'during the outage, again']) {
      const refused = await create(prompt);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain(where);
      expect(textOf(refused)).toMatch(/ECONNREFUSED/);
      expect(textOf(refused)).toMatch(/Nothing was sent to Together and nothing was charged\./);
      said.push(textOf(refused));
    }
    const creates = fleet.proxy.hops.filter((h) => h.mcpName === 'create_video').slice(-2);
    expect(new Set(creates.map((h) => h.replica))).toEqual(new Set([0, 1]));
    expect(await emulatorCreates(emulator.url)).toBe(0);

    // The job is known: its status either comes back or the error says the database is why.
    const status = (await client.callTool({
      name: 'get_video_status',
      arguments: { job_id: jobId },
    })) as CallToolResult;
    said.push(textOf(status));
    if (status.isError) expect(textOf(status)).toContain(where);
    else expect((status.structuredContent as { job_id: string }).job_id).toBe(jobId);

    // It finished at Together while the database was down, and its watcher could not record it.
    expect(
      await until('the job to finish at the emulator', 10_000, async () =>
        (await emulatorStatus(jobId)) === 'completed' ? true : undefined,
      ),
    ).toBe(true);
    await until('the watcher to fail to record the finish', 15_000, async () =>
      watchFailures(fleet.logs(), jobId) > 0 ? true : undefined,
    );

    await server.start();
    for (const replica of fleet.replicas) {
      const health = await until('/healthz 200', 10_000, async () => {
        const h = await healthOf(replica);
        return h.status === 200 ? h : undefined;
      });
      expect(health.body).toMatchObject({ status: 'ok', store: { kind: 'postgres', ok: true } });
    }
    for (const prompt of ['after the outage', 'after the outage, again']) {
      const again = await create(prompt);
      expect(again.isError, textOf(again)).toBeFalsy();
    }
    expect(await emulatorCreates(emulator.url)).toBe(2);

    // The watcher retries on its own and records the finish: nothing asked about this job since.
    const recorded = await until('the finished job to be recorded', 45_000, async () =>
      (await storedStatus(jobId)) === 'completed' ? 'completed' : undefined,
    );
    expect(recorded).toBe('completed');

    const password = adminPassword();
    for (const text of said) expect(text).not.toContain(password);
    expect(fleet.logs()).not.toContain(password);
    expect(fleet.logs()).not.toContain(encodeURIComponent(password));
  }, 90_000);
});
