/** Sandbox results never read like real spend: the price says "not charged", and so does structuredContent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

const ARGS = { model: 'google/veo-3.0', prompt: 'a paper boat on a pond', seconds: 8 };
type Job = {
  job_id: string;
  cost?: number;
  estimated_cost_usd?: number;
  charged?: boolean;
  sandbox: boolean;
};

describe.each([
  [true, ' (sandbox: not charged)'],
  [false, ''],
])('cost wording with sandbox %s', (sandbox, note) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ app: { sandbox } });
  });
  afterAll(async () => h.close());

  it('create_video: the estimate at once, then the cost, each marked', async () => {
    const queued = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
    const early = structured<Job>(queued);
    expect(early.estimated_cost_usd).toBeGreaterThan(0);
    expect(textOf(queued)).toContain(`Estimated cost $${early.estimated_cost_usd?.toFixed(2)}${note}.`);
    expect(early.charged).toBe(sandbox ? false : undefined);

    const done = await h.call('create_video', { ...ARGS, wait_seconds: 30 });
    const job = structured<Job>(done);
    expect(job.cost).toBeGreaterThan(0);
    expect(job.charged).toBe(!sandbox);
    expect(textOf(done)).toContain(`cost $${job.cost?.toFixed(2)}${note}. Call download_video`);
    expect(textOf(done)).toContain(`Estimated cost $${job.estimated_cost_usd?.toFixed(2)}${note}.`);

    const status = await h.call('get_video_status', { job_id: job.job_id });
    expect(structured<Job>(status)).toMatchObject({ cost: job.cost, charged: !sandbox, sandbox });
    expect(textOf(status)).toContain(`cost $${job.cost?.toFixed(2)}${note}. Call download_video`);
    if (!sandbox) expect(textOf(status)).not.toMatch(/sandbox/);
  });
});
