/**
 * Chaining shots through the built bin over stdio, in sandbox mode: the config's VIDEO_MCP_FFMPEG
 * reaches the frame taker. With ffmpeg, `job:<id>#last-frame` saves the earlier job's video and the
 * next job is created; with VIDEO_MCP_FFMPEG pointing at nothing, the answer says how to enable
 * frames and nothing is saved or created.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { structured, textOf } from '../helpers/harness.js';
import { FRAME_MODEL } from '../helpers/inputs.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

describe('chaining shots through the built bin', () => {
  let dir: string;
  let bin: SpawnedBin | undefined;
  beforeAll(() => ensureBuilt());
  afterEach(async () => {
    await bin?.close();
    bin = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-stdio-chain-'));
    const out = path.join(dir, 'out');
    bin = await spawnBin({
      HOME: dir,
      VIDEO_MCP_OUTPUT_DIR: out,
      VIDEO_MCP_STATE_DIR: path.join(dir, 'state'),
      VIDEO_MCP_SANDBOX_JOB_SECONDS: '0.5',
      ...env,
    });
    return out;
  }
  const call = async (args: Record<string, unknown>): Promise<CallToolResult> =>
    (await bin?.client.callTool({ name: 'create_video', arguments: args }, undefined, {
      timeout: 30_000,
    })) as CallToolResult;
  const files = (out: string): Promise<string[]> => readdir(out).catch(() => []);
  const chained = (jobId: string) => ({
    ...FRAME_MODEL,
    prompt: 'the next shot',
    media: { frame_images: [{ input_image: `job:${jobId}#last-frame`, frame: 'first' }] },
  });

  it('continues a sandbox clip from its last frame', async () => {
    const out = await start({});
    const first = structured<{ job_id: string; status: string }>(
      await call({ ...FRAME_MODEL, wait_seconds: 20 }),
    );
    expect(first.status).toBe('completed');
    expect(await files(out)).toEqual([]);
    const next = await call(chained(first.job_id));
    expect(next.isError, textOf(next)).toBeFalsy();
    expect(structured<{ job_id: string }>(next).job_id).not.toBe(first.job_id);
    // The earlier job's video was saved to take the frame from.
    expect((await files(out)).some((f) => f.includes(first.job_id))).toBe(true);
  }, 40_000);

  it('says how to enable frames when VIDEO_MCP_FFMPEG names no ffmpeg', async () => {
    const out = await start({ VIDEO_MCP_FFMPEG: path.join(os.tmpdir(), 'no-such-dir', 'ffmpeg') });
    const first = structured<{ job_id: string }>(await call({ ...FRAME_MODEL, wait_seconds: 20 }));
    const next = await call(chained(first.job_id));
    expect(next.isError).toBe(true);
    expect(textOf(next)).toMatch(/needs ffmpeg to take the frame, and this server has none\. Install ffmpeg/);
    expect(textOf(next)).toMatch(/Nothing was sent to Together and nothing was charged/);
    expect(await files(out)).toEqual([]);
    const jobs = structured<{ jobs: unknown[] }>(
      (await bin?.client.callTool({ name: 'list_video_jobs', arguments: {} })) as CallToolResult,
    ).jobs;
    expect(jobs).toHaveLength(1);
  }, 40_000);
});
