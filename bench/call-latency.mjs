// Added latency of a tool call through MCP over stdio: create_video and get_video_status (both with
// wait_seconds 0) against the same HTTP request sent straight to the emulator, alternating, one
// after another. "Added" = ours minus direct at the same percentile. Each result is checked (a job
// id, a status). Prints one JSON line. Needs a build.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnBin, spawnEmulatorBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-key-123456';

const CALLS = 300;

const emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '600']);
const api = emulator.url;
const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-latency-'));
const { client } = await spawnBin({
  VIDEO_MCP_LOG_LEVEL: 'warn',
  HOME: home,
  TOGETHER_API_KEY: KEY,
  VIDEO_MCP_API_URL: api,
});

const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const body = { model: 'google/veo-3.0', prompt: 'latency', seconds: '8' };
const timed = async (fn) => {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
};
const series = { create: { ours: [], direct: [] }, status: { ours: [], direct: [] } };
let correct = true;
let jobId;
for (let i = -20; i < CALLS; i++) {
  const [oc, created] = await timed(() =>
    client.callTool({
      name: 'create_video',
      arguments: { model: 'google/veo-3.0', prompt: 'latency', wait_seconds: 0 },
    }),
  );
  jobId = created.structuredContent?.job_id;
  correct &&= typeof jobId === 'string';
  const [dc, direct] = await timed(async () =>
    (await fetch(`${api}/v2/videos`, { method: 'POST', headers, body: JSON.stringify(body) })).json(),
  );
  correct &&= typeof direct.id === 'string';
  const [os_, status] = await timed(() =>
    client.callTool({ name: 'get_video_status', arguments: { job_id: jobId } }),
  );
  correct &&= typeof status.structuredContent?.status === 'string';
  const [ds] = await timed(async () => (await fetch(`${api}/v2/videos/${jobId}`, { headers })).json());
  if (i < 0) continue; // warm-up
  series.create.ours.push(oc);
  series.create.direct.push(dc);
  series.status.ours.push(os_);
  series.status.direct.push(ds);
}
await client.close();
await emulator.stop();
await rm(home, { recursive: true, force: true });

const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (n) => Math.round(n * 100) / 100;
const added = (s, p) => round(q(s.ours, p) - q(s.direct, p));
const ours = {
  create_p50_added_ms: added(series.create, 0.5),
  create_p99_added_ms: added(series.create, 0.99),
  status_p50_added_ms: added(series.status, 0.5),
  status_p99_added_ms: added(series.status, 0.99),
};
const baseline = {
  create_direct_p50_ms: round(q(series.create.direct, 0.5)),
  status_direct_p50_ms: round(q(series.status.direct, 0.5)),
};
const worstP50 = Math.max(ours.create_p50_added_ms, ours.status_p50_added_ms);
const worstP99 = Math.max(ours.create_p99_added_ms, ours.status_p99_added_ms);
console.log(
  JSON.stringify({
    bench: 'call-latency',
    ours,
    baseline,
    ratio: round(q(series.status.ours, 0.5) / q(series.status.direct, 0.5)),
    target: { p50_added_ms_max: 1.5, p99_added_ms_max: 5 },
    ok: correct && worstP50 <= 1.5 && worstP99 <= 5,
  }),
);
