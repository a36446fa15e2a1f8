/**
 * Sandbox mode (no API key) across processes, the way `npx @modelcontextprotocol/inspector --cli`
 * uses it: every call starts a new server, so a sandbox job must outlive the process that made it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/harness.js';
import { probeVideo } from '../helpers/probe-video.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

type Listed = { jobs: { job_id?: string; status: string; file_path?: string; sandbox?: boolean }[] };

describe('sandbox jobs survive a restart of the bin', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-sandbox-restart-'));
    env = {
      HOME: home,
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
      VIDEO_MCP_SANDBOX_JOB_SECONDS: '2',
    };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('finds, finishes and downloads a job made by a process that was killed', async () => {
    const first = await spawnBin(env);
    let jobId: string;
    try {
      const created = await first.call('create_video', {
        model: 'google/veo-3.0',
        prompt: 'a lighthouse at dusk',
        wait_seconds: 0,
      });
      expect(created.isError, textOf(created)).toBeFalsy();
      const job = created.structuredContent as { job_id: string; status: string; sandbox: boolean };
      expect(job.sandbox).toBe(true);
      expect(job.status).not.toBe('completed');
      jobId = job.job_id;
    } finally {
      process.kill(first.pid, 'SIGKILL');
      await first.close().catch(() => {});
    }

    // A new process, with its own random emulator key, on the same state dir.
    const second = await spawnBin(env);
    try {
      const status = await second.call('get_video_status', { job_id: jobId, wait_seconds: 30 });
      expect(status.isError, textOf(status)).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ job_id: jobId, status: 'completed', sandbox: true });

      const saved = await second.call('download_video', { job_id: jobId });
      expect(saved.isError, textOf(saved)).toBeFalsy();
      const file = saved.structuredContent as { path: string; bytes: number };
      expect(file.path.startsWith(path.join(home, 'videos'))).toBe(true);
      const probe = await probeVideo(file.path);
      expect(probe.duration).toBeGreaterThan(0);
      expect(probe.width).toBeGreaterThan(0);

      const listed = (await second.call('list_video_jobs', {})).structuredContent as Listed;
      expect(listed.jobs).toHaveLength(1);
      expect(listed.jobs[0]).toMatchObject({
        job_id: jobId,
        status: 'completed',
        sandbox: true,
        file_path: file.path,
      });
      expect(second.stderr()).not.toMatch(/not found/i);

      const unknown = await second.call('download_video', { job_id: 'no-such-job' });
      expect(textOf(unknown)).toBe(
        `No video job with id "no-such-job" exists in this server's sandbox. Use the job_id returned by create_video, or list_video_jobs.`,
      );
    } finally {
      await second.close();
    }
  });
});
