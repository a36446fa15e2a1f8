import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creates, type Harness, startHarness, structured, textOf } from '../helpers/harness.js';
import { probeVideo } from '../helpers/probe-video.js';

interface JobResult {
  job_id: string;
  status: string;
  done: boolean;
  video_url?: string;
  cost?: number;
  error?: { message: string; code?: string };
  next_step: string;
  estimated_cost_usd?: number;
  warnings: string[];
}
interface FileResult {
  path: string;
  bytes: number;
  sha256: string;
  mime_type: string;
  file_uri: string;
  resumed: number;
}

const MODEL = 'ByteDance/Seedance-1.0-lite';

for (const shape of ['spec', 'docs'] as const) {
  describe(`the four tools, end to end (${shape} response shape)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ emulator: { shape } });
    });
    afterAll(async () => h.close());

    it('creates, waits with strictly increasing progress, and downloads a playable video', async () => {
      const posts = creates(h.emulator);
      const progress: { progress: number; message?: string | undefined }[] = [];
      const created = await h.call(
        'create_video',
        {
          model: MODEL,
          prompt: 'a red fox running through snow',
          width: 864,
          height: 480,
          seconds: 5,
          wait_seconds: 30,
        },
        (p) => progress.push(p),
      );
      expect(created.isError).toBeFalsy();
      const job = structured<JobResult>(created);
      expect(job.status).toBe('completed');
      expect(job.done).toBe(true);
      expect(creates(h.emulator)).toBe(posts + 1);
      expect(job.cost).toBeGreaterThan(0);
      expect(job.estimated_cost_usd).toBeGreaterThan(0);
      expect(job.next_step).toContain('download_video');
      expect(progress.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]?.progress).toBeGreaterThan(progress[i - 1]?.progress ?? Number.POSITIVE_INFINITY);
      }
      expect(progress.at(-1)?.progress).toBe(100);
      expect(progress[0]?.message).toMatch(/elapsed/);

      const downloaded = await h.call('download_video', { job_id: job.job_id, filename: 'fox' });
      expect(downloaded.isError).toBeFalsy();
      const file = structured<FileResult>(downloaded);
      expect(file.path.startsWith(h.outputDir)).toBe(true);
      expect(file.path.endsWith('fox.mp4')).toBe(true);
      const bytes = await readFile(file.path);
      expect(bytes.length).toBe(file.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect(file.mime_type).toBe('video/mp4');
      expect(downloaded.content.some((c) => c.type === 'resource_link' && c.uri === file.file_uri)).toBe(
        true,
      );
      const probe = await probeVideo(file.path);
      expect(probe.duration).toBeGreaterThan(0);
    });

    it('returns the job id at once with wait_seconds 0, and get_video_status waits for it', async () => {
      const created = structured<JobResult>(
        await h.call('create_video', { model: MODEL, prompt: 'waves at night', wait_seconds: 0 }),
      );
      expect(created.job_id).toMatch(/\S/);
      expect(created.done).toBe(false);
      expect(created.next_step).toContain('get_video_status');
      const status = structured<JobResult>(
        await h.call('get_video_status', { job_id: created.job_id, wait_seconds: 30 }),
      );
      expect(status.status).toBe('completed');
      expect(status.video_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    });

    it('surfaces the provider message of a failed job', async () => {
      const job = structured<JobResult>(
        await h.call('create_video', { model: MODEL, prompt: 'something [fail]', wait_seconds: 30 }),
      );
      expect(job.status).toBe('failed');
      expect(job.error?.message).toMatch(/content filter/i);
      const download = await h.call('download_video', { job_id: job.job_id });
      expect(download.isError).toBe(true);
      expect(textOf(download)).toMatch(/failed.*content filter/i);
    });
  });
}
