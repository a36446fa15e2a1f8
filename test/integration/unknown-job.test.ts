/**
 * One answer for an unknown job id, from every tool and the job resource, true to the mode: the
 * sandbox, an API key, or an HTTP token (here the token's owner id, as the HTTP transport sets it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creates, type Harness, type HarnessOptions, startHarness, textOf } from './../helpers/harness.js';

const ID = '019a0068-794a-7213-90f6-cc4eb62e3da7';
const NEXT = 'Use the job_id returned by create_video, or list_video_jobs.';

const MODES: [string, HarnessOptions, string][] = [
  [
    'sandbox',
    { app: { sandbox: true } },
    `No video job with id "${ID}" exists in this server's sandbox. ${NEXT}`,
  ],
  ['API key', { app: { sandbox: false } }, `No video job with id "${ID}" exists for this API key. ${NEXT}`],
  [
    'HTTP token',
    { app: { sandbox: false }, scope: { owner: 'token:0123456789abcdef' } },
    `No video job with id "${ID}" exists for this token. ${NEXT}`,
  ],
  [
    'HTTP token in the sandbox',
    { app: { sandbox: true }, scope: { owner: 'token:0123456789abcdef' } },
    `No video job with id "${ID}" exists for this token in this server's sandbox. ${NEXT}`,
  ],
];

describe.each(MODES)('an unknown job id (%s)', (_mode, options, message) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(options);
  });
  afterAll(async () => h.close());

  it.each([
    ['get_video_status', { job_id: ID }],
    ['get_video_status', { job_id: ID, wait_seconds: 5 }],
    ['download_video', { job_id: ID }],
  ])('%s %j answers the one message', async (tool, args) => {
    const result = await h.call(tool, args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(message);
  });

  it('create_video with a job: input names the field and gives the same message, sending nothing', async () => {
    const result = await h.call('create_video', {
      model: 'Wan-AI/wan2.7-videoedit',
      prompt: 'make it snow',
      resolution: '720P',
      ratio: '16:9',
      media: { source_video: `job:${ID}` },
      wait_seconds: 0,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`media.source_video: ${message}`);
    expect(creates(h.emulator)).toBe(0);
  });

  it('the video-job:// resource gives the same message', async () => {
    await expect(h.client.readResource({ uri: `video-job://${ID}` })).rejects.toThrow(message);
  });
});
