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
/** A short watch lease (VIDEO_MCP_WATCH_LEASE_SECONDS) and the tick the bin derives from it (a third). */
const LEASE_MS = 3_000;
const LEASE_TICK_MS = 1_000;

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

/** An agent: the 2026-era SDK client. */
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

  let fleetCount = 0;
  async function startFleet(
    api: ListeningBin,
    options: { sharedOutput?: boolean; env?: Record<string, string> } = {},
  ): Promise<Fleet> {
    const n = ++fleetCount;
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
            VIDEO_MCP_WATCH_LEASE_SECONDS: String(LEASE_MS / 1000),
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
    // Jobs a create left unfinished are watched (all those created with wait_seconds 0, and any whose
    // 2 s wait ended first): each by one replica.
    const watched = watcherPolls(fleet.replicas);
    const unwaited = new Set(outcomes.filter((_, i) => i % 2 === 0).map((o) => o.job_id));
    expect(watched.size).toBeGreaterThan(10);
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

  it('survives kill -9 of a replica mid-wait: its agents ask again and finish; a survivor takes its watch over once the lease lapses', async () => {
    // Jobs of 3 s: a wait polls at once, at the 2 s early check, then ~20 s later, so the agents are
    // mid-wait for a long while and the victim's watcher has looked at the orphan twice, unfinished.
    const slowApi = await spawnEmulatorBin(KEY, ['--job-seconds', '3']);
    try {
      const fleet = await startFleet(slowApi, { env: { VIDEO_MCP_AUTO_DOWNLOAD: '1' } });
      const [victim, ...survivors] = fleet.replicas as [Replica, Replica, Replica];
      const agents = await Promise.all(
        Array.from({ length: 9 }, async (_, i) => {
          const client = await modernHttp(fleet.proxy.url);
          const created = answer<{ job_id: string }>(
            await client.callTool({
              name: 'create_video',
              arguments: { model: MODEL, prompt: `survivor ${i}`, wait_seconds: 0 },
            }),
          );
          return { client, jobId: created.job_id };
        }),
      );
      const waits = agents.map(({ client, jobId }) => {
        let progressed: () => void = () => {};
        const started = new Promise<void>((resolve) => {
          progressed = resolve;
        });
        const call = client
          .callTool(
            { name: 'get_video_status', arguments: { job_id: jobId, wait_seconds: 30 } },
            // The SDK does not fail a call whose stream is cut: it waits for the time-out. A wait
            // sends progress at least every 5 s, so a short time-out reset by progress ends it soon.
            { timeout: 10_000, resetTimeoutOnProgress: true, onprogress: () => progressed() },
          )
          .then(
            (result) => ({ status: answer<{ status: string }>(result).status }),
            (error: unknown) => ({ error: String(error) }),
          );
        return { started, call };
      });
      // Every wait has polled once and is sleeping on its replica.
      await Promise.all(waits.map((w) => w.started));
      const heldByVictim = fleet.proxy.hops.filter(
        (h) => h.mcpName === 'get_video_status' && h.replica === 0,
      ).length;
      expect(heldByVictim).toBe(3);

      // A job nobody waits on, created on the victim: its watch is the victim's lease.
      const direct = await modernHttp(victim.bin.url);
      const orphan = answer<{ job_id: string }>(
        await direct.callTool({
          name: 'create_video',
          arguments: { model: MODEL, prompt: 'nobody waits', wait_seconds: 0 },
        }),
      ).job_id;
      type Lease = { watcher: string | null; until: Date | null; status: string };
      let lease: Lease | undefined;
      for (let tries = 0; !lease?.watcher && tries < 100; tries++) {
        [lease] = await sql<Lease>(
          fleet.db,
          'SELECT watcher, watch_until AS until, status FROM jobs WHERE key = $1',
          [orphan],
        );
        if (!lease?.watcher) await sleep(20);
      }
      expect(await victim.bin.stop('SIGKILL')).toBe(null);
      await direct.close().catch(() => {});
      // Killed with the orphan watched by it, unfinished.
      expect(lease?.watcher).toMatch(/:\d+:/);
      expect(['queued', 'in_progress']).toContain(lease?.status);

      // The agents whose waits the victim held got an error; they ask again through the proxy.
      const first = await Promise.all(waits.map((w) => w.call));
      const failed = first.flatMap((outcome, i) => ('error' in outcome ? [i] : []));
      expect(failed).toHaveLength(heldByVictim);
      for (const outcome of first) if ('status' in outcome) expect(outcome.status).toBe('completed');
      const again = await Promise.all(
        failed.map(async (i) =>
          answer<{ status: string }>(
            await (agents[i] as { client: Agent }).client.callTool(
              { name: 'get_video_status', arguments: { job_id: agents[i]?.jobId, wait_seconds: 30 } },
              { timeout: 60_000 },
            ),
          ),
        ),
      );
      expect(again.map((a) => a.status)).toEqual(failed.map(() => 'completed'));
      await Promise.all(agents.map((a) => a.client.close()));

      // The orphan: taken over by a survivor once the victim's lease lapsed (not before), completed
      // and auto-downloaded there.
      type Row = { status: string; updated: Date; record: { file_path?: string; sha256?: string } };
      let done: Row | undefined;
      const deadline = Date.now() + LEASE_MS + LEASE_TICK_MS + 10_000;
      while (!done?.record.file_path && Date.now() < deadline) {
        await sleep(250);
        [done] = await sql<Row>(
          fleet.db,
          'SELECT status, updated_at AS updated, record FROM jobs WHERE key = $1',
          [orphan],
        );
      }
      expect(done?.status).toBe('completed');
      // Database times: when the victim's lease ran out, and when a survivor recorded the finish.
      const until = new Date(lease?.until ?? 0).getTime();
      const finished = new Date(done?.updated ?? 0).getTime();
      const takenAfterMs = finished - (until - LEASE_MS);
      expect(finished).toBeGreaterThanOrEqual(until);
      expect(takenAfterMs).toBeLessThan(LEASE_MS + LEASE_TICK_MS + 5_000);
      const file = done?.record.file_path ?? '';
      const saver = survivors.findIndex((r) => file.startsWith(r.outputDir + path.sep));
      expect(saver, file).toBeGreaterThanOrEqual(0);
      expect(sha256(await readFile(file))).toBe(done?.record.sha256);
      // The other survivor did not save it too.
      expect((await readdir(survivors[1 - saver]?.outputDir ?? '').catch(() => [])).join()).not.toContain(
        orphan,
      );

      // Nothing lost, nothing duplicated: 10 creates, 10 rows, all completed, the orphan saved once.
      const requests = await requestsOf(slowApi);
      expect(requests.filter((r) => r.route === 'create')).toHaveLength(10);
      const rows = await sql<{ key: string; status: string }>(fleet.db, 'SELECT key, status FROM jobs');
      expect(rows.map((r) => r.status)).toEqual(Array(10).fill('completed'));
      expect(new Set(rows.map((r) => r.key))).toEqual(new Set([orphan, ...agents.map((a) => a.jobId)]));
      expect(requests.filter((r) => r.path.startsWith(`/files/${orphan}.`))).toHaveLength(1);
      const saved = await readdir(survivors[saver]?.outputDir ?? '');
      expect(saved.filter((f) => f.includes(orphan))).toHaveLength(1);
      // Auto-download saved every job, also those whose completion an agent saw through a survivor
      // after the replica that watched them died.
      let unsaved = -1;
      for (let i = 0; i < 100 && unsaved !== 0; i++) {
        if (i) await sleep(100);
        unsaved =
          (
            await sql<{ n: number }>(
              fleet.db,
              "SELECT count(*)::int AS n FROM jobs WHERE record->>'file_path' IS NULL",
            )
          )[0]?.n ?? -1;
      }
      expect(unsaved).toBe(0);
      process.stderr.write(
        `fleet-postgres: orphan taken over ${(takenAfterMs / 1000).toFixed(1)} s after its last claim ` +
          `(lease ${LEASE_MS / 1000} s, take-over tick ${LEASE_TICK_MS / 1000} s)\n`,
      );
      await fleet.stop();
    } finally {
      await slowApi.stop();
    }
  }, 90_000);

  it('survives kill -9 mid-download: another replica saves the file on the next call; with a shared output dir two replicas asked at once write it once', async () => {
    const bytes = 96 * 1024 * 1024;
    const bigApi = await spawnEmulatorBin(KEY, ['--job-seconds', '1', '--video-bytes', String(bytes)]);
    try {
      for (const sharedOutput of [false, true]) {
        const fleet = await startFleet(bigApi, { sharedOutput });
        const [victim, first, second] = fleet.replicas as [Replica, Replica, Replica];
        const agent = await modernHttp(fleet.proxy.url);
        const job = answer<{ job_id: string; status: string; video_url: string }>(
          await agent.callTool(
            {
              name: 'create_video',
              arguments: { model: MODEL, prompt: `big ${sharedOutput}`, wait_seconds: 30 },
            },
            { timeout: 60_000 },
          ),
        );
        expect(job.status).toBe('completed');
        const expected = await sha256OfUrl(job.video_url);

        // The victim downloads; once its part file holds some of the video durably (the sidecar
        // records a checkpoint), it is killed.
        const direct = await modernHttp(victim.bin.url);
        const interrupted = direct
          .callTool({ name: 'download_video', arguments: { job_id: job.job_id } }, { timeout: 60_000 })
          .then(
            (result) => JSON.stringify(result),
            (error: unknown) => `rejected: ${String(error)}`,
          );
        const part = path.join(victim.outputDir, `.${job.job_id}.part`);
        let synced = 0;
        for (let tries = 0; synced === 0 && tries < 2000; tries++) {
          const sidecar = await readFile(`${part}.json`, 'utf8').catch(() => '{}');
          synced = (JSON.parse(sidecar || '{}') as { synced?: number }).synced ?? 0;
          if (synced === 0) await sleep(5);
        }
        expect(await victim.bin.stop('SIGKILL')).toBe(null);
        await direct.close();
        expect(await interrupted).toMatch(/^rejected: /);
        const left = (await stat(part)).size;
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThan(bytes);
        await fetch(`${bigApi.url}/__emulator/requests`, { method: 'DELETE' });

        let saved: { path: string; sha256: string; bytes: number; resumed: number; already_saved: boolean }[];
        if (!sharedOutput) {
          // The next call, through the proxy, goes to a survivor: it saves the whole video in its own folder.
          saved = [
            answer(
              await agent.callTool(
                { name: 'download_video', arguments: { job_id: job.job_id } },
                { timeout: 60_000 },
              ),
            ),
          ];
          const [one] = saved;
          expect(one?.already_saved).toBe(false);
          expect([first.outputDir, second.outputDir]).toContain(path.dirname(one?.path ?? ''));
        } else {
          // Two survivors asked at once: one finishes the victim's part file, the other waits for it
          // and answers the same saved file.
          const clients = await Promise.all([first, second].map((r) => modernHttp(r.bin.url)));
          saved = await Promise.all(
            clients.map(async (client) =>
              answer(
                await client.callTool(
                  { name: 'download_video', arguments: { job_id: job.job_id } },
                  { timeout: 60_000 },
                ),
              ),
            ),
          );
          await Promise.all(clients.map((client) => client.close()));
          expect(saved.map((s) => s.already_saved).sort()).toEqual([false, true]);
          const fresh = saved.find((s) => !s.already_saved);
          expect(fresh?.resumed).toBeGreaterThan(0);
          expect(saved[0]?.path).toBe(saved[1]?.path);
          expect(path.dirname(saved[0]?.path ?? '')).toBe(victim.outputDir);
        }
        for (const s of saved) {
          expect(s.sha256).toBe(expected);
          expect(s.bytes).toBe(bytes);
        }
        const file = saved[0]?.path ?? '';
        expect(sha256(await readFile(file))).toBe(expected);
        // One transfer after the kill, however many replicas were asked; no part file, no second copy.
        const downloads = (await requestsOf(bigApi)).filter((r) =>
          r.path.startsWith(`/files/${job.job_id}.`),
        );
        expect(downloads).toHaveLength(1);
        const folder = await readdir(path.dirname(file));
        expect(folder.filter((f) => f.includes(job.job_id))).toEqual([path.basename(file)]);
        if (sharedOutput) expect(existsSync(part)).toBe(false);
        await agent.close();
        await fleet.stop();
      }
    } finally {
      await bigApi.stop();
    }
  }, 90_000);

  it('never shows the database password: not in any replica log, not in any answer', () => {
    const all = seen.join('\n');
    expect(all).toContain('jobs, spend and rate limits in PostgreSQL');
    expect(all).toContain('"structuredContent"');
    expect(all).not.toContain(adminPassword());
  });
});

async function sha256OfUrl(url: string): Promise<string> {
  const hash = createHash('sha256');
  const response = await fetch(url);
  if (!response.body) throw new Error(`no body from ${url}`);
  for await (const chunk of response.body) hash.update(chunk);
  return hash.digest('hex');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
