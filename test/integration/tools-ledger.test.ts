import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobLedger } from '../../src/jobs/ledger.js';
import { creates, type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

interface Listed {
  jobs: {
    job_id?: string;
    local_id?: string;
    status: string;
    model?: string;
    file_path?: string;
    cost?: number;
  }[];
  count: number;
  matched: number;
  total_cost_usd: number;
}

const ARGS = { model: 'ByteDance/Seedance-1.0-lite', prompt: 'a fox' };

describe('the job ledger through the tools', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('records a job durably before create_video returns, then its file after download', async () => {
    const created = structured<{ job_id: string }>(
      await h.call('create_video', { ...ARGS, wait_seconds: 0 }),
    );
    const onDisk = await new JobLedger(h.stateDir).get(created.job_id);
    expect(onDisk).toMatchObject({
      job_id: created.job_id,
      model: ARGS.model,
      estimated_cost_usd: 0.143,
      params: { prompt: 'a fox' },
    });

    await h.call('get_video_status', { job_id: created.job_id, wait_seconds: 30 });
    await h.call('download_video', { job_id: created.job_id });
    const done = await new JobLedger(h.stateDir).get(created.job_id);
    expect(done).toMatchObject({ status: 'completed', cost: 0.143 });
    expect(done?.file_path).toMatch(/\.mp4$/);
    expect(done?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists jobs with filters and totals', async () => {
    const second = structured<{ job_id: string }>(
      await h.call('create_video', { ...ARGS, wait_seconds: 30 }),
    );
    const all = structured<Listed>(await h.call('list_video_jobs', {}));
    expect(all.matched).toBeGreaterThanOrEqual(2);
    expect(all.total_cost_usd).toBeGreaterThan(0);
    const notSaved = structured<Listed>(await h.call('list_video_jobs', { not_downloaded: true }));
    expect(notSaved.jobs.map((j) => j.job_id)).toContain(second.job_id);
    expect(notSaved.jobs.every((j) => !j.file_path)).toBe(true);
    expect(structured<Listed>(await h.call('list_video_jobs', { model: 'google/veo-3.0' })).matched).toBe(0);
    expect(structured<Listed>(await h.call('list_video_jobs', { since: '1h' })).matched).toBe(all.matched);
    const bad = await h.call('list_video_jobs', { since: 'yesterday-ish' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/24h, 7d or 30m/);
  });

  it('serves jobs as video-job:// resources', async () => {
    const { resources } = await h.client.listResources();
    const first = resources.find((r) => r.uri.startsWith('video-job://'));
    expect(first).toBeDefined();
    const read = await h.client.readResource({ uri: first?.uri ?? '' });
    const content = read.contents[0];
    const job = JSON.parse(content && 'text' in content ? content.text : '{}') as {
      key: string;
      status: string;
    };
    expect(first?.uri).toBe(`video-job://${job.key}`);
    await expect(h.client.readResource({ uri: 'video-job://no-such-job' })).rejects.toThrow(
      /No video job with id "no-such-job"/,
    );
  });

  it('keeps a create whose outcome is unknown as "unknown", never losing it', async () => {
    h.emulator.setFaults([{ route: 'create', kind: 'drop-after-accept' }]);
    const result = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
    expect(result.isError).toBe(true);
    const unknown = structured<Listed>(await h.call('list_video_jobs', { status: 'unknown' }));
    expect(unknown.matched).toBe(1);
    expect(unknown.jobs[0]?.local_id).toMatch(/^local:/);
  });
});

describe('the spend guard', () => {
  it('refuses a create past VIDEO_MCP_MAX_SPEND_USD before any request, with the figures', async () => {
    const h = await startHarness({ app: { maxSpendUsd: 3 } });
    try {
      const ok = await h.call('create_video', { model: 'google/veo-3.0', prompt: 'a cat', wait_seconds: 0 });
      expect(ok.isError).toBeFalsy();
      const before = creates(h.emulator);
      const refused = await h.call('create_video', {
        model: 'google/veo-3.0',
        prompt: 'a dog',
        wait_seconds: 0,
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/\$1\.60.*\$1\.60.*\$3\.00.*VIDEO_MCP_MAX_SPEND_USD/);
      expect(creates(h.emulator)).toBe(before);
    } finally {
      await h.close();
    }
  });
});

describe('get_video_status while the API answers 503', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.emulator.setFaults([]));
  afterAll(async () => h.close());

  it("answers the ledger's last known state with a warning", async () => {
    const job = structured<{ job_id: string; status: string }>(
      await h.call('create_video', { ...ARGS, wait_seconds: 30 }),
    );
    expect(job.status).toBe('completed');
    h.emulator.setFaults([
      { route: 'retrieve', kind: 'status', status: 503, times: Number.POSITIVE_INFINITY },
    ]);
    const result = await h.call('get_video_status', { job_id: job.job_id });
    expect(result.isError).toBeFalsy();
    const seen = structured<{ job_id: string; status: string; warnings: string[] }>(result);
    expect(seen).toMatchObject({ job_id: job.job_id, status: 'completed' });
    expect(seen.warnings.join(' ')).toMatch(/status failed .*overloaded.*last known state/);
  });

  it('is an error when the ledger has nothing for the job either', async () => {
    h.emulator.setFaults([
      { route: 'retrieve', kind: 'status', status: 503, times: Number.POSITIVE_INFINITY },
    ]);
    const result = await h.call('get_video_status', { job_id: 'job-nobody-knows' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/overloaded/);
  });
});
