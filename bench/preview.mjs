// Preview cost: the preview (probe + 4-frame contact sheet, src/frames/video-preview.ts bundled here
// by esbuild, as the bin bundles it) of a 10 s 1080p H.264 clip made by the system's ffmpeg, and its
// share of a download_video of the same number of bytes from the emulator (which serves its sample
// padded to that size, as bench/download-throughput.mjs does) through the built bin. Five rounds
// each, medians. Prints one JSON line. Needs a build and ffmpeg.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT, spawnBin, spawnEmulatorBin } from '../test/helpers/spawn-bin.mjs';

const KEY = 'bench-key-123456';
const ROUNDS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-preview-'));
const clip = path.join(work, 'clip-1080p.mp4');
execFileSync('ffmpeg', [
  '-v',
  'error',
  '-y',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1920x1080:rate=30:duration=10',
  '-c:v',
  'libx264',
  '-pix_fmt',
  'yuv420p',
  clip,
]);
const clipBytes = (await stat(clip)).size;

const bundle = path.join(work, 'video-preview.mjs');
await build({
  entryPoints: [path.join(ROOT, 'bench', 'lib', 'preview-entry.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'warning',
});
const { findFrameTools, makePreview } = await import(pathToFileURL(bundle).href);
const tools = await findFrameTools(undefined);
if (!tools) throw new Error('ffmpeg and ffprobe are needed: apt-get install ffmpeg');

const previews = [];
let sheet;
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  sheet = (await makePreview(tools, clip)).sheet;
  previews.push(performance.now() - t);
}

const emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '0', '--video-bytes', String(clipBytes)]);
const bin = await spawnBin({
  VIDEO_MCP_LOG_LEVEL: 'warn',
  HOME: work,
  TOGETHER_API_KEY: KEY,
  VIDEO_MCP_API_URL: emulator.url,
  VIDEO_MCP_OUTPUT_DIR: path.join(work, 'out'),
});
const downloads = [];
let correct = true;
for (let i = 0; i < ROUNDS; i++) {
  const job = (await bin.call('create_video', { model: 'google/veo-3.0', prompt: `t${i}`, wait_seconds: 30 }))
    .structuredContent;
  const t = performance.now();
  const saved = (await bin.call('download_video', { job_id: job.job_id, preview: false })).structuredContent;
  downloads.push(performance.now() - t);
  correct &&= saved.bytes === clipBytes;
  await rm(saved.path);
}
await bin.close();
await emulator.stop();
await rm(work, { recursive: true, force: true });

const previewMs = median(previews);
const downloadMs = median(downloads);
console.log(
  JSON.stringify({
    bench: 'preview',
    clip: { size: '1920x1080', seconds: 10, fps: 30, codec: 'h264', bytes: clipBytes },
    ours: {
      preview_ms: Math.round(previewMs),
      preview_ms_runs: previews.map(Math.round),
      sheet: { width: sheet.width, height: sheet.height, bytes: sheet.data.length },
      download_ms: Math.round(downloadMs),
      share_of_download_with_preview: Math.round((previewMs / (previewMs + downloadMs)) * 100) / 100,
    },
    target: { preview_ms_max: 2000, sheet_bytes_max: 102400, sheet_width_max: 1024 },
    ok: correct && previewMs <= 2000 && sheet.data.length <= 102400 && sheet.width <= 1024,
  }),
);
