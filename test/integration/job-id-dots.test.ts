/** A job id made only of dots would become a path segment ("/v2/videos/..") rather than an id. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, textOf } from '../helpers/harness.js';

describe('job ids that are only dots', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  for (const tool of ['get_video_status', 'download_video']) {
    for (const jobId of ['.', '..', '...', ' .. ']) {
      it(`${tool} refuses job_id ${JSON.stringify(jobId)} with a clear message and sends nothing`, async () => {
        const before = h.emulator.requests.length;
        const result = await h.call(tool, { job_id: jobId });
        expect(result.isError).toBe(true);
        expect(h.emulator.requests.slice(before).map((r) => r.path)).toEqual([]);
        expect(textOf(result)).toMatch(/- job_id: cannot be only dots.*returned by create_video/);
      });
    }
  }
});
