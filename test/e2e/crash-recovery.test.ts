/**
 * Crash safety of the built bin: SIGKILL while a paid job runs or a video downloads, restart, and the job
 * is still listed, watched to completion and downloadable with the right hash. Two servers sharing one state dir.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { TEST_KEY } from '../helpers/harness.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

type Listed = { jobs: { job_id?: string; status: string; file_path?: string }[]; matched: number };

describe('crash recovery of the built bin', () => {
  let emulator: Emulator;
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    // Shorter than the 2 s early check the restarted server makes, so one check after restart finds it done.
    emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 1_500 });
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-crash-'));
    env = {
      HOME: home,
      TOGETHER_API_KEY: TEST_KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  it('keeps a job through kill -9 mid-wait, resumes watching it, and downloads it after restart', async () => {
    const first = await spawnBin(env);
    const pending = first.call('create_video', {
      model: 'openai/sora-2',
      prompt: 'a comet over the sea',
      wait_seconds: 60,
    });
    pending.catch(() => {});
    // Wait until the paid POST has landed, then kill without any chance to clean up.
    for (let i = 0; i < 100 && emulator.jobCount() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    process.kill(first.pid, 'SIGKILL');
    await first.close().catch(() => {});
    expect(emulator.jobCount()).toBe(1);

    const second = await spawnBin({ ...env, VIDEO_MCP_AUTO_DOWNLOAD: '1' });
    try {
      const listed = (await second.call('list_video_jobs', {})).structuredContent as Listed;
      expect(listed.matched).toBe(1);
      const jobId = listed.jobs[0]?.job_id ?? '';
      expect(jobId).toMatch(/\S/);
      // Nobody asks for the status: the restarted server watches the job and auto-downloads it.
      let saved: Listed['jobs'][number] | undefined;
      for (let i = 0; i < 100 && !saved?.file_path; i++) {
        await new Promise((r) => setTimeout(r, 100));
        saved = ((await second.call('list_video_jobs', {})).structuredContent as Listed).jobs[0];
      }
      expect(saved?.status).toBe('completed');
      expect(saved?.file_path).toMatch(/\.mp4$/);
      const again = (await second.call('download_video', { job_id: jobId })).structuredContent as {
        path: string;
        sha256: string;
      };
      expect(
        createHash('sha256')
          .update(await readFile(again.path))
          .digest('hex'),
      ).toBe(again.sha256);
      expect(emulator.jobCount()).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('shows a create killed while its paid POST was in flight as "unknown", not "submitting" forever', async () => {
    const slow = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 1_500 });
    const slowEnv = {
      ...env,
      VIDEO_MCP_API_URL: slow.url,
      VIDEO_MCP_STATE_DIR: path.join(home, 'inflight-state'),
    };
    try {
      // The POST reaches the API and then waits there: kill -9 lands while nobody knows the outcome.
      slow.setFaults([{ route: 'create', kind: 'delay', delayMs: 20_000 }]);
      const first = await spawnBin(slowEnv);
      const pending = first.call('create_video', {
        model: 'openai/sora-2',
        prompt: 'a kite',
        wait_seconds: 0,
      });
      pending.catch(() => {});
      const posted = () => slow.requests.some((r) => r.route === 'create');
      for (let i = 0; i < 200 && !posted(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(posted()).toBe(true);
      process.kill(first.pid, 'SIGKILL');
      await first.close().catch(() => {});

      const second = await spawnBin(slowEnv);
      try {
        const listed = (await second.call('list_video_jobs', {})).structuredContent as {
          jobs: { local_id?: string; status: string; error?: { message: string } }[];
          matched: number;
        };
        expect(listed.matched).toBe(1);
        expect(listed.jobs[0]).toMatchObject({ status: 'unknown' });
        expect(listed.jobs[0]?.local_id).toMatch(/^local:/);
        expect(listed.jobs[0]?.error?.message).toMatch(
          /may exist and be charged: check Together's dashboard before creating it again/,
        );
      } finally {
        await second.close();
      }
    } finally {
      await slow.close();
    }
  });

  it('resumes a download after kill -9 mid-transfer, with the right sha256', async () => {
    const big = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 200, videoBytes: 160_000_000 });
    const outputDir = path.join(home, 'big-videos');
    const bigEnv = {
      ...env,
      VIDEO_MCP_API_URL: big.url,
      VIDEO_MCP_OUTPUT_DIR: outputDir,
      VIDEO_MCP_STATE_DIR: path.join(home, 'big-state'),
    };
    try {
      const first = await spawnBin(bigEnv);
      const created = (
        await first.call('create_video', { model: 'google/veo-3.0', prompt: 'a long take', wait_seconds: 30 })
      ).structuredContent as { job_id: string; video_url: string };
      const pending = first.call('download_video', { job_id: created.job_id });
      pending.catch(() => {});
      // Kill once some bytes are known durable (the sidecar records a checkpoint), before the end.
      const sidecar = path.join(outputDir, `.${created.job_id}.part.json`);
      let synced = 0;
      for (let i = 0; i < 400 && synced === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        synced = Number(JSON.parse(await readFile(sidecar, 'utf8').catch(() => '{"synced":0}')).synced);
      }
      process.kill(first.pid, 'SIGKILL');
      await first.close().catch(() => {});
      expect(synced).toBeGreaterThan(0);
      expect(synced).toBeLessThan(160_000_000);

      // The whole body, hashed independently of the server under test.
      const expected = createHash('sha256');
      const res = await fetch(created.video_url);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) expected.update(chunk);

      const second = await spawnBin(bigEnv);
      try {
        const saved = (await second.call('download_video', { job_id: created.job_id })).structuredContent as {
          sha256: string;
          resumed: number;
          bytes: number;
        };
        expect(saved.resumed).toBeGreaterThanOrEqual(1);
        expect(saved.bytes).toBe(160_000_000);
        expect(saved.sha256).toBe(expected.digest('hex'));
      } finally {
        await second.close();
      }
    } finally {
      await big.close();
    }
  });

  it('loses no job when two servers share one state dir and create at once', async () => {
    const shared = { ...env, VIDEO_MCP_STATE_DIR: path.join(home, 'shared-state') };
    const [a, b] = await Promise.all([spawnBin(shared), spawnBin(shared)]);
    try {
      const make = (bin: SpawnedBin, n: number) =>
        Array.from({ length: n }, (_, i) =>
          bin.call('create_video', { model: 'google/veo-3.0', prompt: `shot ${i}`, wait_seconds: 0 }),
        );
      const results = await Promise.all([...make(a, 6), ...make(b, 6)]);
      const failed = results.filter((r) => r.isError).map((r) => JSON.stringify(r.content));
      expect(failed).toEqual([]);
      const ids = results.map((r) => (r.structuredContent as { job_id: string }).job_id);
      expect(new Set(ids).size).toBe(12);
      for (const bin of [a, b]) {
        const listed = (await bin.call('list_video_jobs', { limit: 50 })).structuredContent as Listed;
        expect(listed.jobs.map((j) => j.job_id).sort()).toEqual([...ids].sort());
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
