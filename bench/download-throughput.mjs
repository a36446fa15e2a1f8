// Download throughput: download_video of a 1 GB video from the emulator through MCP (sha256, the
// resume checkpoints and the final fsync included) against `curl` fetching the same URL to the same
// disk, alternating, three rounds each, medians. Checks every file's size and our sha256. Prints
// one JSON line. Needs a build and curl.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnBin, spawnEmulatorBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-key-123456';

const BYTES = 1024 * 1024 * 1024;
const ROUNDS = 3;

const emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '0', '--video-bytes', String(BYTES)]);
const api = emulator.url;
const work = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-throughput-'));
const { client } = await spawnBin({
  VIDEO_MCP_LOG_LEVEL: 'warn',
  HOME: work,
  TOGETHER_API_KEY: KEY,
  VIDEO_MCP_API_URL: api,
  VIDEO_MCP_OUTPUT_DIR: path.join(work, 'ours'),
});

async function sha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

const ours = [];
const curl = [];
let correct = true;
for (let i = 0; i < ROUNDS; i++) {
  const job = (
    await client.callTool({
      name: 'create_video',
      arguments: { model: 'google/veo-3.0', prompt: `t${i}`, wait_seconds: 30 },
    })
  ).structuredContent;
  const curlFile = path.join(work, `curl-${i}.mp4`);
  let t = performance.now();
  execFileSync('curl', ['-sSfL', '-o', curlFile, job.video_url]);
  curl.push(BYTES / 1024 / 1024 / ((performance.now() - t) / 1000));
  correct &&= (await stat(curlFile)).size === BYTES;
  await rm(curlFile);

  t = performance.now();
  const saved = (
    await client.callTool({ name: 'download_video', arguments: { job_id: job.job_id } }, undefined, {
      timeout: 600_000,
    })
  ).structuredContent;
  ours.push(BYTES / 1024 / 1024 / ((performance.now() - t) / 1000));
  correct &&= saved.bytes === BYTES && (await sha256(saved.path)) === saved.sha256;
  await rm(saved.path);
}
await client.close();
await emulator.stop();
await rm(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = Math.round((median(ours) / median(curl)) * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'download-throughput',
    ours: { mb_per_s: Math.round(median(ours)), rounds: ours.map(Math.round) },
    baseline: { tool: 'curl', mb_per_s: Math.round(median(curl)), rounds: curl.map(Math.round) },
    ratio,
    target: { ratio_min: 0.9 },
    ok: correct && ratio >= 0.9,
  }),
);
