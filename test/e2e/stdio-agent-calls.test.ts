/**
 * Issue 11's agent mistakes and user-machine failures, through the built bin over stdio in sandbox
 * mode (no key), as a newcomer's client meets them: every refusal names what to do, the sandbox never
 * reads like spend, a saved video is answered rather than saved twice, a cancelled wait is an
 * ordinary event in the log, and a state dir that cannot be written refuses before anything is sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../../src/models/lookup.js';
import { textOf } from '../helpers/harness.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

const structured = (r: { structuredContent?: unknown }): Record<string, unknown> =>
  (r.structuredContent ?? {}) as Record<string, unknown>;

describe('agent calls over stdio, sandbox mode', () => {
  let home: string;
  let bin: SpawnedBin;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-agent-'));
    bin = await spawnBin({ HOME: home, VIDEO_MCP_SANDBOX_JOB_SECONDS: '1' });
  });
  afterAll(async () => {
    await bin.close();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses a list_video_jobs status outside the enum, naming the valid ones', async () => {
    const result = await bin.call('list_video_jobs', { status: 'done' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/status: .*queued, in_progress, completed, failed, cancelled/);
    expect(textOf(result)).toMatch(/Nearest valid: completed/);
  });

  it('suggests only values the model accepts, and the models that have a missing capability', async () => {
    const seconds = await bin.call('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a fox',
      seconds: 8.5,
    });
    expect(textOf(seconds)).toMatch(/- seconds: .*Nearest valid: 8\./);
    const keyframes = await bin.call('create_video', {
      model: 'Wan-AI/wan2.7-t2v',
      prompt: 'a fox',
      resolution: '720P',
      media: { frame_images: [{ input_image: 'https://example.com/a.png' }] },
    });
    expect(keyframes.isError).toBe(true);
    expect(textOf(keyframes)).toMatch(/media\.frame_images: .*Wan-AI\/wan2\.7-i2v/);
  });

  it('accepts a resolution in the other case, and answers an unknown video-job:// with -32602', async () => {
    const made = await bin.call('create_video', {
      model: 'Wan-AI/wan2.7-t2v',
      prompt: 'a paper boat',
      resolution: '720p',
      ratio: '16:9',
      wait_seconds: 0,
    });
    expect(made.isError, textOf(made)).toBeFalsy();
    const error = await bin.client.readResource({ uri: 'video-job://no-such-job' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    expect((error as McpError).message).toMatch(
      /No video job with id "no-such-job" exists in this server's sandbox\. .*or list_video_jobs\./,
    );
  });

  it('makes a free video of a size the model makes, says "not charged", and answers a second download with the saved file', async () => {
    const model = 'ByteDance/Seedance-1.0-lite';
    const made = await bin.call('create_video', { model, prompt: 'a red fox in snow', wait_seconds: 30 });
    const job = structured(made);
    expect(job).toMatchObject({ status: 'completed', sandbox: true, charged: false });
    expect(textOf(made)).toMatch(/\$\d+\.\d\d \(sandbox: not charged\)/);
    const caps = getModel(model);
    const sizes =
      caps?.sizing.mode === 'dimensions' ? caps.sizing.dimensions.map((d) => `${d.width}x${d.height}`) : [];
    expect(sizes).toContain(job.size);

    const messages: string[] = [];
    const first = (await bin.client.callTool(
      { name: 'download_video', arguments: { job_id: job.job_id } },
      undefined,
      { onprogress: (p) => messages.push(p.message ?? '') },
    )) as CallToolResult;
    expect(first.isError, textOf(first)).toBeFalsy();
    // A 23 KB sample: "0.0 of 0.0 MB" before.
    expect(messages.some((m) => /downloaded [\d.]+ (KB|bytes) of [\d.]+ (KB|bytes)/.test(m))).toBe(true);
    const again = await bin.call('download_video', { job_id: job.job_id });
    expect(textOf(again)).toMatch(/^Already saved at /);
    expect(structured(again)).toMatchObject({
      already_saved: true,
      path: structured(first).path,
      sha256: structured(first).sha256,
    });
  });

  it('logs a cancelled wait as an ordinary event, not a crash', async () => {
    const controller = new AbortController();
    const call = bin.client
      .callTool(
        {
          name: 'create_video',
          arguments: { model: 'google/veo-3.0', prompt: 'a slow fox', wait_seconds: 60 },
        },
        undefined,
        { signal: controller.signal },
      )
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort('the user pressed stop');
    await call;
    const deadline = Date.now() + 5_000;
    while (!bin.stderr().includes('tool call cancelled') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bin.stderr()).toContain('tool call cancelled');
    expect(bin.stderr()).not.toContain('tool call crashed');
  });
});

describe('a state dir that cannot be written, over stdio', () => {
  it('refuses create_video before the paid call, naming the folder and what to set', async () => {
    ensureBuilt();
    const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-rostate-'));
    // A regular file where a folder is needed fails even for root, unlike chmod.
    const blocker = path.join(home, 'not-a-folder');
    await writeFile(blocker, 'x');
    const bin = await spawnBin({ HOME: home, VIDEO_MCP_STATE_DIR: path.join(blocker, 'state') });
    try {
      const result = await bin.call('create_video', {
        model: 'ByteDance/Seedance-1.0-lite',
        prompt: 'a red fox in snow',
        wait_seconds: 0,
      });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain(path.join(blocker, 'state'));
      expect(text).toMatch(/Nothing was sent to Together and nothing was charged/);
      expect(text).toMatch(/VIDEO_MCP_STATE_DIR/);
      expect(bin.stderr()).not.toContain('tool call crashed');
    } finally {
      await bin.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
