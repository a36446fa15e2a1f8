/**
 * Issue 13, end to end: 3 replicas of the bin (`--http --stateless`, VIDEO_MCP_DATABASE_URL on a fresh
 * database, each with its own state dir and, unless a test says otherwise, its own output dir) behind
 * the round-robin proxy, one standalone emulator as Together, and SDK clients as agents. 100 agents
 * at once; `kill -9` of a replica while agents wait on it and while it downloads; two replicas asked
 * for one file at once. The database password appears in no log and no answer.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernHttp } from '../helpers/modern-client.js';
import { adminPassword, freshDatabase } from '../helpers/postgres.js';
import { type RoundRobin, roundRobin } from '../helpers/round-robin.js';
import { ensureBuilt, type ListeningBin, spawnEmulatorBin, spawnHttpBin } from '../helpers/spawn-bin.mjs';

const KEY = 'fleet-pg-key-0123456789';
const MODEL = 'minimax/hailuo-02';
/** The store's default lease (PgStoreOptions.leaseMs) and the watcher's renew/take-over tick: the bin sets neither. */
const LEASE_MS = 30_000;
const LEASE_TICK_MS = 10_000;

interface Recorded {
  method: string;
  path: string;
  route: string;
  body?: { prompt?: string };
}

interface Replica {
  bin: ListeningBin;
  outputDir: string;
}

interface Fleet {
  db: string;
  proxy: RoundRobin;
  replicas: Replica[];
  stop(): Promise<void>;
}

/** The replica that answered a call: a 2026-era client straight to it. */
type Agent = Awaited<ReturnType<typeof modernHttp>>;

describe('a fleet of 3 replicas on one PostgreSQL database, behind a round-robin proxy', () => {
  let home: string;
  let emulator: ListeningBin;
  /** Every replica's stderr and every answer, for the password check. */
  const seen: string[] = [];
  const fleets: Fleet[] = [];

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-fleet-pg-'));
    // Short jobs: done 1 s after create, so the 2 s early check of a wait finds them finished.
    emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '1']);
  });
  afterAll(async () => {
    for (const fleet of fleets) await fleet.stop().catch(() => {});
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  let started = 0;
  async function startFleet(
    api: ListeningBin,
    options: { sharedOutput?: boolean; env?: Record<string, string> } = {},
  ): Promise<Fleet> {
    const n = ++started;
    const db = await freshDatabase();
    const shared = path.join(home, `fleet-${n}`, 'videos');
    const replicas = await Promise.all(
      [0, 1, 2].map(async (i): Promise<Replica> => {
        const outputDir = options.sharedOutput ? shared : path.join(home, `fleet-${n}`, `videos-${i}`);
        const bin = await spawnHttpBin(
          {
            HOME: home,
            TOGETHER_API_KEY: KEY,
            VIDEO_MCP_API_URL: api.url,
            VIDEO_MCP_DATABASE_URL: db,
            VIDEO_MCP_STATE_DIR: path.join(home, `fleet-${n}`, `state-${i}`),
            VIDEO_MCP_OUTPUT_DIR: outputDir,
            VIDEO_MCP_LOG_LEVEL: 'debug',
            // 100 agents create at once under one (anonymous) owner: the fleet-wide limit must not refuse them.
            VIDEO_MCP_HTTP_CREATES_PER_MINUTE: '1000',
            ...options.env,
          },
          ['--stateless'],
        );
        return { bin, outputDir };
      }),
    );
    const proxy = await roundRobin(replicas.map((r) => r.bin.url));
    let stopped = false;
    const fleet: Fleet = {
      db,
      proxy,
      replicas,
      async stop() {
        if (stopped) return;
        stopped = true;
        await proxy.close();
        await Promise.all(replicas.map((r) => r.bin.stop()));
        for (const r of replicas) seen.push(r.bin.stderr());
      },
    };
    fleets.push(fleet);
    return fleet;
  }

  function answer<T>(result: unknown): T {
    seen.push(JSON.stringify(result));
    const r = result as CallToolResult;
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as T;
  }

  async function requestsOf(api: ListeningBin): Promise<Recorded[]> {
    return (await (await fetch(`${api.url}/__emulator/requests`)).json()) as Recorded[];
  }

  async function sql<Row extends object>(db: string, text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Per job id: how many times Together (the emulator) was asked for its status. */
  function retrievesPerJob(requests: Recorded[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of requests)
      if (r.route === 'retrieve') {
        const id = r.path.split('/').pop() ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    return counts;
  }

  /** Per job id: the replicas whose background watcher polled it (from their debug logs). */
  function watcherPolls(replicas: Replica[]): Map<string, Set<number>> {
    const polled = new Map<string, Set<number>>();
    replicas.forEach((r, i) => {
      for (const line of r.bin.stderr().split('\n')) {
        if (!line.includes('"msg":"polled job"') || !line.includes('"component":"watcher"')) continue;
        const { job_id: id } = JSON.parse(line) as { job_id: string };
        polled.set(id, (polled.get(id) ?? new Set()).add(i));
      }
    });
    return polled;
  }

  /** A 2025-era client (the v1 SDK's) of a `--stateless` fleet: initialize, then plain POSTs. */
  async function legacyClient(url: string): Promise<LegacyClient> {
    const client = new LegacyClient({ name: 'fleet-2025', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  }

  it('serves 100 agents at once: 100 creates reach Together once each, 100 rows, each job polled by one watcher', async () => {
    const fleet = await startFleet(emulator);
    await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const prompt = `agent ${i} films a tide pool`;
        const progress: number[] = [];
        const onprogress = (p: { progress: number }): void => {
          progress.push(p.progress);
        };
        if (i === 0) {
          // One 2025-era agent: the v1 SDK's client on --stateless replicas.
          const legacy = await legacyClient(fleet.proxy.url);
          const { job_id } = answer<{ job_id: string }>(
            await legacy.callTool({
              name: 'create_video',
              arguments: { model: MODEL, prompt, wait_seconds: 0 },
            }),
          );
          const done = answer<{ status: string }>(
            await legacy.callTool(
              { name: 'get_video_status', arguments: { job_id, wait_seconds: 30 } },
              undefined,
              { timeout: 60_000, onprogress },
            ),
          );
          await legacy.close();
          return { prompt, job_id, status: done.status, progress };
        }
        const agent: Agent = await modernHttp(fleet.proxy.url);
        // Half create without waiting, half wait a little with progress.
        const created = answer<{ job_id: string }>(
          await agent.callTool(
            { name: 'create_video', arguments: { model: MODEL, prompt, wait_seconds: i % 2 ? 2 : 0 } },
            { timeout: 60_000, ...(i % 2 ? { onprogress } : {}) },
          ),
        );
        const done = answer<{ status: string }>(
          await agent.callTool(
            { name: 'get_video_status', arguments: { job_id: created.job_id, wait_seconds: 30 } },
            { timeout: 60_000, onprogress },
          ),
        );
        await agent.close();
        return { prompt, job_id: created.job_id, status: done.status, progress };
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    expect(outcomes.map((o) => o.status)).toEqual(Array(100).fill('completed'));
    for (const o of outcomes) expect(o.progress.length, o.prompt).toBeGreaterThan(0);
    const jobIds = new Set(outcomes.map((o) => o.job_id));
    expect(jobIds.size).toBe(100);

    const requests = await requestsOf(emulator);
    const creates = requests.filter((r) => r.route === 'create').map((r) => r.body?.prompt ?? '');
    expect(creates.sort()).toEqual(outcomes.map((o) => o.prompt).sort());

    const [rows] = await sql<{ n: number; ids: number; done: number }>(
      fleet.db,
      `SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS ids,
              count(*) FILTER (WHERE status = 'completed')::int AS done FROM jobs`,
    );
    expect(rows).toEqual({ n: 100, ids: 100, done: 100 });

    // Every replica served creates and waits: the proxy spread them.
    const served = new Set(
      fleet.proxy.hops.filter((h) => h.mcpName === 'create_video').map((h) => h.replica),
    );
    expect(served).toEqual(new Set([0, 1, 2]));

    // Each job's background watch ran on one replica only, not on each of the 3.
    // Only jobs a create left unfinished are watched (a create that waited saw its job finish): of
    // those, any the watcher's first look did not find finished were polled again, by one replica.
    const watched = watcherPolls(fleet.replicas);
    const unwaited = new Set(outcomes.filter((_, i) => i % 2 === 0).map((o) => o.job_id));
    expect(watched.size).toBeGreaterThan(25);
    for (const id of watched.keys()) expect(unwaited.has(id), id).toBe(true);
    for (const [id, replicas] of watched) expect(replicas.size, id).toBe(1);
    const perJob = retrievesPerJob(requests);
    expect([...perJob.keys()].sort()).toEqual([...jobIds].sort());
    const mean = (ids: Iterable<string>): number => {
      const counts = [...ids].map((id) => perJob.get(id) ?? 0);
      return counts.reduce((a, b) => a + b, 0) / counts.length;
    };
    const all = [...perJob.values()];
    // A job a create left unfinished is polled by its waiting agent and by one watcher, each about
    // twice (at once, then at the 2 s early check): ~4. A watcher on each of the 3 replicas: ~8.
    expect(mean(unwaited)).toBeLessThan(5);
    process.stderr.write(
      `fleet-postgres: 100 agents in ${seconds.toFixed(1)} s; status requests to Together per job: ` +
        `mean ${mean(jobIds).toFixed(2)} (max ${Math.max(...all)}); created without waiting (watched): ` +
        `${mean(unwaited).toFixed(2)}; created with a 2 s wait: ` +
        `${mean([...jobIds].filter((id) => !unwaited.has(id))).toFixed(2)}; ` +
        `jobs polled by a background watcher: ${watched.size}\n`,
    );
    await fleet.stop();
  }, 90_000);
});
