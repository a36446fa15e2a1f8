// HTTP transport under load: the latency a get_video_status call adds over the same request sent
// straight to the emulator, with 1 session waiting on a job and with 200 sessions each waiting on a
// job, plus the server's peak RSS. Prints one JSON line. Needs a build (npm run build).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawnEmulatorBin, spawnHttpBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-key-123456';

const SESSIONS = 200;
const PROBES = 200;

async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function connect(url) {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Alternates a status call through MCP with the same GET sent straight to the emulator. */
async function probe(client, apiUrl, jobId) {
  const ours = [];
  const direct = [];
  for (let i = 0; i < PROBES; i++) {
    let t = performance.now();
    const r = await client.callTool({ name: 'get_video_status', arguments: { job_id: jobId } });
    ours.push(performance.now() - t);
    if (r.isError) throw new Error(JSON.stringify(r.content));
    t = performance.now();
    const res = await fetch(`${apiUrl}/v2/videos/${jobId}`, { headers: { authorization: `Bearer ${KEY}` } });
    await res.json();
    direct.push(performance.now() - t);
  }
  return {
    p50_added_ms: Math.max(0, quantile(ours, 0.5) - quantile(direct, 0.5)),
    p99_added_ms: Math.max(0, quantile(ours, 0.99) - quantile(direct, 0.99)),
  };
}

async function run(waiting) {
  const emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '20']);
  const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-http-'));
  const server = await spawnHttpBin({
    HOME: home,
    TOGETHER_API_KEY: KEY,
    VIDEO_MCP_API_URL: emulator.url,
    VIDEO_MCP_HTTP_CREATES_PER_MINUTE: '10000',
  });
  try {
    const prober = await connect(server.url);
    const probeJob = (
      await prober.callTool({
        name: 'create_video',
        arguments: { model: 'google/veo-3.0', prompt: 'probe', wait_seconds: 0 },
      })
    ).structuredContent.job_id;
    const clients = await Promise.all(Array.from({ length: waiting }, () => connect(server.url)));
    const waits = clients.map((c, i) =>
      c.callTool(
        {
          name: 'create_video',
          arguments: { model: 'google/veo-3.0', prompt: `wait ${i}`, wait_seconds: 120 },
        },
        undefined,
        { timeout: 180_000 },
      ),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const latency = await probe(prober, emulator.url, probeJob);
    const results = await Promise.all(waits);
    const completed = results.filter((r) => r.structuredContent?.status === 'completed').length;
    const rss = await peakRss(server.pid);
    await Promise.all([...clients, prober].map((c) => c.close()));
    return {
      ...latency,
      peak_rss_mb: Math.round(rss / 1024 / 1024),
      completed,
      correct: completed === waiting,
    };
  } finally {
    await server.stop();
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }
}

const single = await run(1);
const crowd = await run(SESSIONS);
const round = (n) => Math.round(n * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'http-sessions',
    ours: {
      sessions: SESSIONS,
      p50_added_ms: round(crowd.p50_added_ms),
      p99_added_ms: round(crowd.p99_added_ms),
      peak_rss_mb: crowd.peak_rss_mb,
      completed: crowd.completed,
    },
    baseline: {
      sessions: 1,
      p50_added_ms: round(single.p50_added_ms),
      p99_added_ms: round(single.p99_added_ms),
      peak_rss_mb: single.peak_rss_mb,
    },
    ratio: round(crowd.peak_rss_mb / single.peak_rss_mb),
    target: { p99_added_ms_max: 20, peak_rss_mb_max: 300 },
    ok: single.correct && crowd.correct && crowd.p99_added_ms <= 20 && crowd.peak_rss_mb <= 300,
  }),
);
