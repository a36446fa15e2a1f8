/**
 * The built bin, spawned over stdio by the SDK's real Client with cwd "/", as Claude Desktop does.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { TEST_KEY } from '../helpers/harness.js';
import { probeVideo } from '../helpers/probe-video.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

describe('the built bin over stdio', () => {
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-home-'));
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  for (const shape of ['spec', 'docs'] as const) {
    describe(`against an external API (${shape} shape)`, () => {
      let emulator: Emulator;
      beforeAll(async () => {
        emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 500, shape });
      });
      afterAll(async () => emulator.close());

      it('lists five small tools, makes a video and saves a playable file', async () => {
        const outputDir = path.join(home, `out-${shape}`);
        const started = performance.now();
        const bin = await spawnBin({
          TOGETHER_API_KEY: TEST_KEY,
          VIDEO_MCP_API_URL: emulator.url,
          VIDEO_MCP_OUTPUT_DIR: outputDir,
          HOME: home,
        });
        try {
          const { tools } = await bin.client.listTools();
          const coldStartMs = performance.now() - started;
          const listBytes = Buffer.byteLength(JSON.stringify({ tools }));
          process.stderr.write(
            `[figures] ${shape}: cold start to tools/list ${coldStartMs.toFixed(0)} ms, tools/list ${listBytes} bytes\n`,
          );
          // Each entry baked into the bin at build time is exactly the one the code computes (pinned
          // in process by test/integration/tool-surface.test.ts); the order is the tools array's.
          const snapshots = await Promise.all(
            tools.map(async (t) =>
              JSON.parse(
                await readFile(
                  path.join(import.meta.dirname, '..', 'fixtures', 'toolsnaps', `${t.name}.json`),
                  'utf8',
                ),
              ),
            ),
          );
          expect(tools).toEqual(snapshots);
          expect(tools.map((t) => t.name).sort()).toEqual([
            'create_video',
            'download_video',
            'get_video_status',
            'list_video_jobs',
            'list_video_models',
            'preview_video',
          ]);
          expect(listBytes).toBeLessThanOrEqual(8 * 1024);
          for (const t of tools) {
            expect(t.inputSchema.type).toBe('object');
            expect(Object.keys(t.inputSchema)).not.toEqual(expect.arrayContaining(['oneOf']));
            expect(t.title).toBeTruthy();
            expect(t.outputSchema !== undefined).toBe(t.name !== 'preview_video');
          }

          const created = await bin.call('create_video', {
            model: 'google/veo-3.0',
            prompt: 'a hummingbird in slow motion',
            wait_seconds: 30,
          });
          expect(created.isError).toBeFalsy();
          const job = created.structuredContent as { job_id: string; status: string; sandbox: boolean };
          expect(job.status).toBe('completed');
          expect(job.sandbox).toBe(false);
          const saved = await bin.call('download_video', { job_id: job.job_id });
          expect(saved.isError).toBeFalsy();
          const file = saved.structuredContent as { path: string; bytes: number };
          expect(path.dirname(file.path)).toBe(outputDir);
          expect((await stat(file.path)).size).toBe(file.bytes);
          expect((await probeVideo(file.path)).duration).toBeGreaterThan(0);
          expect(bin.stderr()).not.toContain(TEST_KEY);
        } finally {
          await bin.close();
        }
      });
    });
  }

  it('with no API key, runs in sandbox mode and still makes a playable video in the default output dir', async () => {
    const bin = await spawnBin({ HOME: home, VIDEO_MCP_SANDBOX_JOB_SECONDS: '1' });
    try {
      const created = await bin.call('create_video', {
        model: 'openai/sora-2',
        prompt: 'a paper plane over a city',
        wait_seconds: 30,
      });
      const job = created.structuredContent as { job_id: string; status: string; sandbox: boolean };
      expect(job.sandbox).toBe(true);
      expect(job.status).toBe('completed');
      const saved = await bin.call('download_video', { job_id: job.job_id });
      const file = saved.structuredContent as { path: string; sandbox: boolean };
      expect(file.sandbox).toBe(true);
      expect(file.path.startsWith(path.join(home, 'Videos', 'together-video-mcp'))).toBe(true);
      const probe = await probeVideo(file.path);
      expect(probe.width).toBeGreaterThan(0);
      expect(bin.stderr()).toMatch(/sandbox/);
    } finally {
      await bin.close();
    }
  });

  it('explains a rejected key without ever printing it', async () => {
    const emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 500 });
    const badKey = 'tk-bad-e2e-KEY-55555';
    const bin = await spawnBin({
      TOGETHER_API_KEY: badKey,
      VIDEO_MCP_API_URL: emulator.url,
      HOME: home,
      VIDEO_MCP_LOG_LEVEL: 'debug',
    });
    try {
      const result = await bin.call('create_video', {
        model: 'google/veo-3.0',
        prompt: 'a cat',
        wait_seconds: 0,
      });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result)).toMatch(/TOGETHER_API_KEY/);
      expect(JSON.stringify(result) + bin.stderr()).not.toContain(badKey);
    } finally {
      await bin.close();
      await emulator.close();
    }
  });
});
