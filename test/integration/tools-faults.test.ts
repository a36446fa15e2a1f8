import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { creates, type Harness, startHarness, structured, TEST_KEY, textOf } from '../helpers/harness.js';

interface Job {
  job_id: string;
  status: string;
  done: boolean;
  video_url?: string;
  next_step: string;
  warnings: string[];
}

const MODEL = 'minimax/video-01-director';
const ARGS = { model: MODEL, prompt: 'a lighthouse in a storm' };

describe('faults from the API and the network', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 800, urlTtlMs: 60_000 } });
  });
  afterEach(() => h.emulator.setFaults([]));
  afterAll(async () => h.close());

  it('retries a create refused with 429 + Retry-After and makes exactly one job', async () => {
    h.emulator.setFaults([{ route: 'create', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }]);
    const before = h.emulator.jobCount();
    const result = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
    expect(result.isError).toBeFalsy();
    expect(h.emulator.jobCount()).toBe(before + 1);
  });

  it('does not retry a create that failed with 500 and says the job may exist', async () => {
    h.emulator.setFaults([{ route: 'create', kind: 'status', status: 500, times: 1 }]);
    const before = creates(h.emulator);
    const result = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
    expect(result.isError).toBe(true);
    expect(creates(h.emulator)).toBe(before + 1);
    expect(textOf(result)).toMatch(/may (already )?exist|may have been created/i);
  });

  it('keeps polling through 503s on status checks', async () => {
    h.emulator.setFaults([{ route: 'retrieve', kind: 'status', status: 503, times: 2 }]);
    const job = structured<Job>(await h.call('create_video', { ...ARGS, wait_seconds: 30 }));
    expect(job.status).toBe('completed');
  });

  it('never loses the job id when status checks keep failing', async () => {
    h.emulator.setFaults([
      { route: 'retrieve', kind: 'status', status: 500, times: Number.POSITIVE_INFINITY },
    ]);
    const result = await h.call('create_video', { ...ARGS, wait_seconds: 30 });
    expect(result.isError).toBeFalsy();
    const job = structured<Job>(result);
    expect(job.job_id).toMatch(/\S/);
    expect(job.warnings.join(' ')).toMatch(/status/i);
  });

  it('resumes a download that drops half way, with the right hash', async () => {
    const job = structured<Job>(await h.call('create_video', { ...ARGS, wait_seconds: 30 }));
    h.emulator.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 10_000, times: 1 }]);
    const result = await h.call('download_video', { job_id: job.job_id });
    expect(result.isError).toBeFalsy();
    const file = structured<{ path: string; sha256: string; resumed: number; bytes: number }>(result);
    const bytes = await readFile(file.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    expect(file.resumed).toBeGreaterThanOrEqual(1);
    // The same video fetched cleanly has the same hash: nothing was duplicated or skipped.
    const again = structured<{ sha256: string }>(await h.call('download_video', { job_id: job.job_id }));
    expect(again.sha256).toBe(file.sha256);
  });

  it('tolerates responses with unexpected extra fields and missing optional ones (docs shape)', async () => {
    h.emulator.setShape('docs');
    try {
      const job = structured<Job>(await h.call('create_video', { ...ARGS, wait_seconds: 30 }));
      expect(job.status).toBe('completed');
    } finally {
      h.emulator.setShape('spec');
    }
  });
});

describe('slow jobs, expiry and cancellation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 4_000, urlTtlMs: 300 } });
  });
  afterAll(async () => h.close());

  it('hands back the job id and a next step when the wait runs out', async () => {
    const result = await h.call('create_video', { ...ARGS, wait_seconds: 0.5 });
    const job = structured<Job>(result);
    expect(job.done).toBe(false);
    expect(job.next_step).toMatch(/get_video_status.*wait_seconds/);
    expect(textOf(result)).toContain(job.job_id);
  });

  it('downloads with a fresh URL after the old one expired', async () => {
    const job = structured<Job>(await h.call('create_video', { ...ARGS, wait_seconds: 30 }));
    expect(job.video_url).toBeDefined();
    await new Promise((r) => setTimeout(r, 400));
    const stale = await fetch(job.video_url ?? '');
    expect(stale.status).toBe(403);
    const result = await h.call('download_video', { job_id: job.job_id });
    expect(result.isError).toBeFalsy();
  });

  it('stops polling when the client cancels, and the job stays findable', async () => {
    const controller = new AbortController();
    const before = h.emulator.jobCount();
    const call = h.client.callTool(
      { name: 'create_video', arguments: { ...ARGS, wait_seconds: 60 } },
      undefined,
      {
        signal: controller.signal,
      },
    );
    await new Promise((r) => setTimeout(r, 700));
    controller.abort();
    await expect(call).rejects.toThrow();
    expect(h.emulator.jobCount()).toBe(before + 1);
    const polls = (): number => h.emulator.requests.filter((r) => r.route === 'retrieve').length;
    const afterCancel = polls();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(polls()).toBe(afterCancel);
  });
});

describe('a bad API key', () => {
  it('explains the 401 and never shows the key', async () => {
    const h = await startHarness({ apiKey: 'tk-wrong-KEY-987654321' });
    try {
      const result = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toMatch(/401/);
      expect(text).toMatch(/TOGETHER_API_KEY/);
      const everything = text + JSON.stringify(result) + h.logs.join('');
      expect(everything).not.toContain('tk-wrong-KEY-987654321');
      expect(everything).not.toContain(TEST_KEY);
    } finally {
      await h.close();
    }
  });
});
