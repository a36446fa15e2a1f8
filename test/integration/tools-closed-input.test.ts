/**
 * Tool inputs are closed: an argument a tool does not know is refused before anything is sent, with
 * the field meant, and one answer lists every problem. Through the SDK client, against the emulator,
 * whose request log shows that nothing reached the (paid) API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, textOf } from '../helpers/harness.js';

const PREFACE = 'Nothing was sent to Together and nothing was charged.';

describe('closed inputs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  /** Calls the tool, expects our isError text, and that the emulator saw no request at all. */
  async function refused(tool: string, args: Record<string, unknown>): Promise<string> {
    const before = h.emulator.requests.length;
    const result = await h.call(tool, args);
    const text = textOf(result);
    expect(result.isError, text).toBe(true);
    expect(text.startsWith(PREFACE), text).toBe(true);
    expect(text).not.toMatch(/Input validation error/);
    expect(h.emulator.requests.length).toBe(before);
    return text;
  }

  it('refuses the fields an LLM sends most, naming the field meant with values this model takes', async () => {
    const text = await refused('create_video', {
      model: 'kwaivgI/kling-2.1-master',
      prompt: 'a red fox in snow',
      duration: 10,
      aspect_ratio: '16:9',
      size: '1920x1080',
    });
    expect(text).toMatch(/- duration: unknown field; use seconds\b.*seconds: 5\./);
    expect(text).toMatch(/- aspect_ratio: unknown field;.*width: 1920, height: 1080/);
    expect(text).toMatch(/- size: unknown field; use width: 1920, height: 1080/);
  });

  it("answers README's example word for word", async () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const example = /`(\{"model": "kwaivgI[^`]*\})` gets:\n\n```\n([^`]*)```/.exec(
      readme.replace(/\n"/g, ' "'),
    );
    if (!example?.[1] || !example[2]) throw new Error('README lost its refused-unknown-field example');
    const text = await refused('create_video', JSON.parse(example[1]) as Record<string, unknown>);
    expect(`${text}\n`).toBe(example[2]);
  });

  it('maps sizes and ratios onto a resolution-sized model, and media aliases onto what the model takes', async () => {
    const text = await refused('create_video', {
      model: 'Wan-AI/wan2.7-i2v',
      prompt: 'a red fox in snow',
      size: '1280x720',
      aspect: '16:9',
      image: 'https://example.com/first.png',
      last_frame: 'https://example.com/last.png',
      video: 'https://example.com/clip.mp4',
      negative: 'blur',
      with_audio: true,
      quality: 10,
      format: 'MP4',
      wait: 10,
    });
    expect(text).toMatch(/- size: .*use resolution 720P, ratio 16:9/);
    expect(text).toMatch(/- aspect: .*use ratio: "16:9"/);
    expect(text).toMatch(/- image: .*media\.frame_images.*"frame": "first"/);
    expect(text).toMatch(/- last_frame: .*media\.frame_images.*"frame": "last"/);
    expect(text).toMatch(/- video: .*media\.frame_videos/);
    expect(text).toMatch(/- negative: .*use negative_prompt/);
    expect(text).toMatch(/- with_audio: .*use generate_audio: true/);
    expect(text).toMatch(/- quality: .*use output_quality/);
    expect(text).toMatch(/- format: .*use output_format/);
    expect(text).toMatch(/- wait: .*use wait_seconds/);
  });

  it('names the models that have a capability this one lacks, its own family first', async () => {
    const keyframes = await refused('create_video', {
      model: 'Wan-AI/wan2.7-t2v',
      prompt: 'a red fox in snow',
      media: { frame_images: [{ input_image: 'https://example.com/a.png' }] },
    });
    expect(keyframes).toMatch(/media\.frame_images: .*Models that do: Wan-AI\/wan2\.7-i2v\b/);
    const last = await refused('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a red fox in snow',
      media: { frame_images: [{ input_image: 'https://example.com/a.png', frame: 'last' }] },
    });
    expect(last).toMatch(/Models that do: google\/veo-3\.1\b/);
    const sound = await refused('create_video', {
      model: 'kwaivgI/kling-2.1-master',
      prompt: 'a red fox in snow',
      generate_audio: true,
    });
    expect(sound).toMatch(/generate_audio: .*Models that do: /);
  });

  it('refuses unknown fields with no known meaning, listing the accepted ones, also inside media', async () => {
    const text = await refused('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a red fox in snow',
      flux_capacitor: 1,
      media: { images: ['https://example.com/a.png'], frame_images: [{ url: 'https://example.com/b.png' }] },
    });
    expect(text).toMatch(/- flux_capacitor: unknown field\. Accepted: model, prompt, .*wait_seconds\./);
    expect(text).toMatch(/- media\.images: unknown field; use media\.frame_images/);
    expect(text).toMatch(/- media\.frame_images\[0\]\.url: unknown field; use input_image/);
    expect(text).toMatch(/- media\.frame_images\[0\]\.input_image: is required/);
  });

  it('lists every problem in one answer: unknown fields, schema errors and per-model rules', async () => {
    const text = await refused('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a red fox in snow',
      duration: 8,
      seed: 1.5,
      width: 1000,
      height: 500,
    });
    expect(text).toMatch(/- duration: /);
    expect(text).toMatch(/- seed: must be a whole number/);
    expect(text).toMatch(
      /- width\/height: 1000x500 is not a size google\/veo-3\.0 can make.*Nearest valid: 1280x720/,
    );
  });

  it('suggests only a length the model makes for a fractional one', async () => {
    const text = await refused('create_video', { model: 'google/veo-3.0', prompt: 'a fox', seconds: 8.5 });
    expect(text).toMatch(/Nearest valid: 8\./);
  });

  it('closes the other tools too', async () => {
    expect(await refused('list_video_models', { unknown_filter: 1 })).toMatch(
      /- unknown_filter: unknown field\. Accepted: organization, task, keyframe, audio, min_seconds, max_cost_usd, query\./,
    );
    expect(await refused('list_video_models', { org: 'google', duration: 8 })).toMatch(
      /- org: unknown field; use organization\.\n- duration: unknown field; use min_seconds\./,
    );
    expect(await refused('list_video_jobs', { state: 'completed' })).toMatch(/- state: .*use status/);
    expect(await refused('get_video_status', { job: 'abc', timeout: 5 })).toMatch(
      /- job_id: .*\n- job: .*use job_id\.\n- timeout: .*use wait_seconds\./s,
    );
    expect(await refused('download_video', { video_id: 'abc', job_id: 'abc', name: 'fox' })).toMatch(
      /- video_id: .*use job_id\.\n- name: .*use filename\./,
    );
  });

  it('takes list_video_jobs status from an enum and names the valid values', async () => {
    const text = await refused('list_video_jobs', { status: 'done' });
    expect(text).toMatch(/status: must be one of: queued, in_progress, completed, failed, cancelled/);
    expect(text).toMatch(/Nearest valid: completed/);
  });

  it('accepts a resolution in either case and sends the model its own spelling', async () => {
    for (const [model, given, sent] of [
      ['Wan-AI/wan2.7-t2v', '720p', '720P'],
      ['ByteDance/Seedance-2.5', '720P', '720p'],
    ] as const) {
      const result = await h.call('create_video', {
        model,
        prompt: 'a red fox',
        resolution: given,
        wait_seconds: 0,
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      const body = h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as {
        resolution?: string;
      };
      expect(body.resolution).toBe(sent);
    }
  });

  it('refuses a 4 MB model id at once, saying the cap', async () => {
    const started = performance.now();
    const text = await refused('create_video', { model: 'x'.repeat(4 * 1024 * 1024), prompt: 'a fox' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(text).toMatch(/- model: is 4194304 characters; at most 100 are accepted/);
    // Quoting the field back never echoes megabytes.
    expect(text.length).toBeLessThan(1_000);
  });

  it('answers an unknown video-job:// resource with invalid params (-32602), not an internal error', async () => {
    const error = await h.client.readResource({ uri: 'video-job://no-such-job' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    expect((error as McpError).message).toBe(
      'MCP error -32602: No video job with id "no-such-job" exists for this API key. Use the job_id returned by create_video, or list_video_jobs.',
    );
  });
});
