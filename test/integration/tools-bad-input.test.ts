import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creates, type Harness, startHarness, textOf } from '../helpers/harness.js';

/** Each case must be refused with an actionable message and must never reach the (paid) API. */
const cases: { name: string; args: Record<string, unknown>; expect: RegExp[] }[] = [
  {
    name: 'dimensions the model lacks',
    args: { model: 'ByteDance/Seedance-1.0-lite', prompt: 'a cat', width: 1000, height: 500 },
    expect: [/width|height/, /864x480/],
  },
  {
    name: 'a duration the model lacks',
    args: { model: 'google/veo-3.0', prompt: 'a cat', seconds: 99 },
    expect: [/seconds/, /8/],
  },
  {
    name: 'too many keyframes',
    args: {
      model: 'ByteDance/Seedance-1.0-lite',
      prompt: 'a cat',
      media: {
        frame_images: [
          { input_image: 'https://example.com/a.png', frame: 'first' },
          { input_image: 'https://example.com/b.png', frame: 'last' },
          { input_image: 'https://example.com/c.png' },
        ],
      },
    },
    expect: [/frame_images/, /2/],
  },
  {
    name: 'a last keyframe on a first-only model',
    args: {
      model: 'google/veo-3.0',
      prompt: 'a cat',
      media: { frame_images: [{ input_image: 'https://example.com/b.png', frame: 'last' }] },
    },
    expect: [/frame_images/, /first/],
  },
  {
    name: 'media the model rejects',
    args: {
      model: 'Wan-AI/wan2.7-t2v',
      prompt: 'a cat',
      media: { source_video: 'https://example.com/v.mp4' },
    },
    expect: [/source_video/, /audio_inputs/],
  },
  {
    name: 'a prompt over the model limit',
    args: { model: 'pixverse/pixverse-v5', prompt: 'x'.repeat(2049) },
    expect: [/prompt/, /2048/],
  },
  {
    name: 'a missing prompt where it is required',
    args: { model: 'google/veo-3.0' },
    expect: [/prompt/, /required/i],
  },
  {
    name: 'an unknown model id',
    args: { model: 'google/veo-3', prompt: 'a cat' },
    expect: [/model/, /google\/veo-3\.0/],
  },
  {
    name: 'a non-integer seed',
    args: { model: 'google/veo-3.0', prompt: 'a cat', seed: 1.5 },
    expect: [/seed/, /whole number/],
  },
  {
    name: 'a negative wait',
    args: { model: 'google/veo-3.0', prompt: 'a cat', wait_seconds: -1 },
    expect: [/wait_seconds/, /negative/],
  },
  {
    name: 'steps out of range',
    args: { model: 'google/veo-3.0', prompt: 'a cat', steps: 5 },
    expect: [/steps/, /10/],
  },
  {
    name: 'an argument the tool does not know (dropped silently before)',
    args: { model: 'kwaivgI/kling-2.1-master', prompt: 'a cat', duration: 10 },
    expect: [/duration: unknown field; use seconds/, /seconds: 5/],
  },
  {
    name: 'a size given as one string',
    args: { model: 'ByteDance/Seedance-1.0-lite', prompt: 'a cat', size: '1000x500' },
    expect: [/size: unknown field/, /width: 864, height: 480/],
  },
  {
    name: 'a fractional length on a one-length model',
    args: { model: 'google/veo-3.0', prompt: 'a cat', seconds: 8.5 },
    expect: [/seconds/, /Nearest valid: 8\./],
  },
  {
    name: 'an output format that does not exist',
    args: { model: 'google/veo-3.0', prompt: 'a cat', output_format: 'AVI' },
    expect: [/output_format/, /MP4/],
  },
];

describe('bad input never reaches the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const before = creates(h.emulator);
      const result = await h.call('create_video', c.args);
      expect(result.isError).toBe(true);
      const text = textOf(result);
      for (const pattern of c.expect) expect(text).toMatch(pattern);
      expect(creates(h.emulator)).toBe(before);
    });
  }

  it('accepts a Kling request with no prompt (prompt optional there)', async () => {
    const result = await h.call('create_video', {
      model: 'kwaivgI/kling-2.1-standard',
      media: { frame_images: [{ input_image: 'https://example.com/a.png', frame: 'first' }] },
      wait_seconds: 0,
    });
    expect(textOf(result)).not.toMatch(/prompt/i);
    expect(result.isError).toBeFalsy();
  });

  it('explains an unknown job id', async () => {
    for (const tool of ['get_video_status', 'download_video']) {
      const result = await h.call(tool, { job_id: 'no-such-job' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/No video job with id "no-such-job"/);
    }
  });

  it('refuses a job id that cannot be one before calling the API', async () => {
    const before = h.emulator.requests.length;
    const result = await h.call('get_video_status', { job_id: '../../etc/passwd' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/job_id/);
    expect(h.emulator.requests.length).toBe(before);
  });

  it('refuses a filename that escapes the output dir', async () => {
    const created = await h.call('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a cat',
      wait_seconds: 30,
    });
    const jobId = (created.structuredContent as { job_id: string }).job_id;
    for (const filename of ['../escape.mp4', '/tmp/abs.mp4']) {
      const result = await h.call('download_video', { job_id: jobId, filename });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(h.outputDir);
    }
  });
});
