// Peak RSS of the server while download_video saves a 100 MB and a 2 GB video from the emulator,
// side by side in one run. Prints one JSON line. Needs a build (npm run build).
// `--compare-tricks` also measures both with VIDEO_MCP_NO_STARTUP_TRICKS=1 (no Liftoff-only, no GC
// pacing: src/bin/v8-memory.ts) and adds them as `no_tricks`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnBin, spawnEmulatorBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-key-123456';
const compareTricks = process.argv.includes('--compare-tricks');

const emulatorFor = (videoBytes) =>
  spawnEmulatorBin(KEY, ['--job-seconds', '0', '--video-bytes', String(videoBytes)]);

/** VmHWM: the process's peak resident set, in bytes. */
async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function measure(videoBytes, extraEnv = {}) {
  const emulator = await emulatorFor(videoBytes);
  const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-'));
  const { client, pid } = await spawnBin({
    VIDEO_MCP_LOG_LEVEL: 'warn',
    HOME: home,
    TOGETHER_API_KEY: KEY,
    VIDEO_MCP_API_URL: emulator.url,
    ...extraEnv,
  });
  try {
    const created = await client.callTool({
      name: 'create_video',
      arguments: { model: 'google/veo-3.0', prompt: 'bench', wait_seconds: 30 },
    });
    const started = performance.now();
    const saved = await client.callTool(
      { name: 'download_video', arguments: { job_id: created.structuredContent.job_id } },
      undefined,
      {
        timeout: 600_000,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const file = saved.structuredContent;
    const correct = file.bytes === videoBytes && (await sha256File(file.path)) === file.sha256;
    return { bytes: videoBytes, peak_rss: await peakRss(pid), seconds, correct };
  } finally {
    await client.close();
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }
}

const SMALL = 100 * 1024 * 1024;
const LARGE = 2 * 1024 * 1024 * 1024;
const small = await measure(SMALL);
const large = await measure(LARGE);
const off = { VIDEO_MCP_NO_STARTUP_TRICKS: '1' };
const plain = compareTricks
  ? { small: await measure(SMALL, off), large: await measure(LARGE, off) }
  : undefined;
const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
const ratio = Math.round((large.peak_rss / small.peak_rss) * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'download-memory',
    ours: {
      peak_rss_mb_2gb: mb(large.peak_rss),
      peak_rss_mb_100mb: mb(small.peak_rss),
      mb_per_s_2gb: Math.round(mb(large.bytes) / large.seconds),
    },
    baseline: { peak_rss_mb_100mb: mb(small.peak_rss) },
    ...(plain
      ? {
          no_tricks: {
            peak_rss_mb_2gb: mb(plain.large.peak_rss),
            peak_rss_mb_100mb: mb(plain.small.peak_rss),
            mb_per_s_2gb: Math.round(mb(plain.large.bytes) / plain.large.seconds),
            correct: plain.small.correct && plain.large.correct,
          },
        }
      : {}),
    ratio,
    target: { peak_rss_mb_max: 100, ratio_max: 1.2 },
    ok: small.correct && large.correct && large.peak_rss < 100 * 1024 * 1024 && ratio <= 1.2,
  }),
);
