// A fleet of replicas: creates+status calls per second through 1 and 3 replicas of the HTTP bin, and
// the status requests Together gets per job while the fleet watches jobs in the background, steady
// and across a restart of every replica (a rolling deploy: each new process resumes unfinished jobs).
// Both stores: the file ledger (replicas share one state dir) and PostgreSQL (one database; a server
// started here from Debian's binaries, as the tests do). Calls go to the replicas in turn, as a
// round-robin balancer sends them (2026-07-28 clients: no sessions, any replica answers anything).
// Prints one JSON line. Needs a build (npm run build) and PostgreSQL installed (.ci/run installs it).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import pg from 'pg';
import { initTemplate, postgresBinDir, startPostgres } from '../test/helpers/postgres-server.mjs';
import { spawnEmulatorBin, spawnHttpBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-fleet-key-0123456789';
const MODEL = 'minimax/hailuo-02';
/** Concurrent agents, each creating ROUNDS jobs and asking each one's status STATUSES times. */
const AGENTS = 20;
const ROUNDS = 5;
const STATUSES = 2;
/** Jobs left to the fleet's background watchers, in each polling phase. */
const WATCHED = 30;
/** The emulator's job time: long enough that the jobs are unfinished when the replicas restart. */
const JOB_SECONDS = 6;
const SETTLE_TIMEOUT_MS = 120_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function modernClient(url) {
  const client = new Client(
    { name: 'bench-fleet', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** One client per replica; call i goes to replica i mod n, as a round-robin balancer sends it. */
async function roundRobinClients(replicas) {
  const clients = await Promise.all(replicas.map((r) => modernClient(r.url)));
  let next = 0;
  return {
    async call(name, args) {
      const client = clients[next++ % clients.length];
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
      return result.structuredContent;
    },
    close: () => Promise.all(clients.map((c) => c.close())),
  };
}

async function retrieves(emulatorUrl) {
  const seen = await (await fetch(`${emulatorUrl}/__emulator/requests`)).json();
  return seen.filter((r) => r.route === 'retrieve').length;
}

const clearRequests = (emulatorUrl) => fetch(`${emulatorUrl}/__emulator/requests`, { method: 'DELETE' });

/** Waits until the store (read through the fleet, which asks Together nothing for it) has `count` completed jobs. */
async function settled(fleet, count) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const { matched } = await fleet.call('list_video_jobs', { status: 'completed', limit: 1 });
    if (matched >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${matched} of ${count} jobs completed in the store`);
    await sleep(250);
  }
}

async function createMany(fleet, count, prompt) {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fleet.call('create_video', { model: MODEL, prompt: `${prompt} ${i}`, wait_seconds: 0 }),
    ),
  );
}

/** Creates+status calls per second from AGENTS agents at once. */
async function throughput(fleet) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AGENTS }, async (_, agent) => {
      for (let round = 0; round < ROUNDS; round++) {
        const { job_id } = await fleet.call('create_video', {
          model: MODEL,
          prompt: `agent ${agent} round ${round}`,
          wait_seconds: 0,
        });
        for (let s = 0; s < STATUSES; s++) await fleet.call('get_video_status', { job_id });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return (AGENTS * ROUNDS * (1 + STATUSES)) / seconds;
}

async function run(store, replicaCount, postgres) {
  const emulator = await spawnEmulatorBin(KEY, ['--job-seconds', String(JOB_SECONDS)]);
  const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-fleet-'));
  const env = {
    HOME: home,
    TOGETHER_API_KEY: KEY,
    VIDEO_MCP_API_URL: emulator.url,
    VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
    VIDEO_MCP_HTTP_CREATES_PER_MINUTE: '10000',
    ...(store === 'postgres'
      ? { VIDEO_MCP_DATABASE_URL: await postgres.freshDatabase() }
      : { VIDEO_MCP_STATE_DIR: path.join(home, 'state') }),
  };
  const start = () => Promise.all(Array.from({ length: replicaCount }, () => spawnHttpBin(env)));
  let replicas = await start();
  let fleet = await roundRobinClients(replicas);
  try {
    const callsPerSecond = await throughput(fleet);
    let total = AGENTS * ROUNDS;
    await settled(fleet, total);

    // Steady: jobs created through the fleet and left to its background watchers.
    await clearRequests(emulator.url);
    await createMany(fleet, WATCHED, 'steady');
    total += WATCHED;
    await settled(fleet, total);
    const steady = (await retrieves(emulator.url)) / WATCHED;

    // Every replica restarted while the jobs run: each new process resumes the unfinished ones.
    await clearRequests(emulator.url);
    await createMany(fleet, WATCHED, 'restart');
    total += WATCHED;
    await fleet.close();
    const exits = await Promise.all(replicas.map((r) => r.stop()));
    if (exits.some((code) => code !== 0)) throw new Error(`a replica exited with ${exits.join(', ')}`);
    replicas = await start();
    fleet = await roundRobinClients(replicas);
    await settled(fleet, total);
    const restart = (await retrieves(emulator.url)) / WATCHED;
    return {
      calls_per_s: Math.round(callsPerSecond * 10) / 10,
      status_requests_per_job: Math.round(steady * 100) / 100,
      status_requests_per_job_restarted: Math.round(restart * 100) / 100,
    };
  } finally {
    await fleet.close().catch(() => {});
    await Promise.all(replicas.map((r) => r.stop()));
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }
}

async function startDatabaseServer() {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)');
  const template = await initTemplate(binDir);
  const server = await startPostgres(template);
  let databases = 0;
  return {
    async freshDatabase() {
      const name = `bench_fleet_${++databases}`;
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return server.url(name);
    },
    async destroy() {
      await server.destroy();
      await rm(path.dirname(template.dataDir), { recursive: true, force: true });
    },
  };
}

const postgres = await startDatabaseServer();
const results = {};
try {
  for (const store of ['file', 'postgres'])
    for (const replicas of [1, 3]) results[`${store}_${replicas}`] = await run(store, replicas, postgres);
} finally {
  await postgres.destroy();
}
const one = results.postgres_1;
const three = results.postgres_3;
console.log(
  JSON.stringify({
    bench: 'fleet',
    ours: { store: 'postgres', replicas: 3, ...three },
    baseline: { store: 'file', replicas: 1, ...results.file_1 },
    runs: results,
    ratio:
      Math.round((three.status_requests_per_job_restarted / one.status_requests_per_job_restarted) * 100) /
      100,
    // Polling across 3 replicas on PostgreSQL, restarted or not, is that of one replica, not 3 times it.
    target: { status_requests_per_job_ratio_max: 1.5 },
    ok:
      three.status_requests_per_job <= one.status_requests_per_job * 1.5 &&
      three.status_requests_per_job_restarted <= one.status_requests_per_job_restarted * 1.5,
  }),
);
