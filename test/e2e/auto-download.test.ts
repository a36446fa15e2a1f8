/**
 * VIDEO_MCP_AUTO_DOWNLOAD saves every video once its job completes, wherever the completion is seen:
 * in create_video's own wait, in get_video_status, or by the background watch. A download_video
 * asked meanwhile waits for that save and answers its file.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function structured<T>(result: unknown): T {
  const r = result as CallToolResult;
  if (r.isError) throw new Error(JSON.stringify(r.content));
  return r.structuredContent as T;
}

describe('auto-download', () => {
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-auto-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('saves a video whose job completed inside create_video and get_video_status, once each', async () => {
    const outputDir = path.join(home, 'videos');
    const bin = await spawnBin({
      HOME: home,
      VIDEO_MCP_AUTO_DOWNLOAD: '1',
      VIDEO_MCP_OUTPUT_DIR: outputDir,
      VIDEO_MCP_SANDBOX_JOB_SECONDS: '1',
    });
    try {
      const waited = structured<{ job_id: string; status: string }>(
        await bin.call('create_video', { model: 'minimax/hailuo-02', prompt: 'a kite', wait_seconds: 30 }),
      );
      expect(waited.status).toBe('completed');
      const later = structured<{ job_id: string }>(
        await bin.call('create_video', { model: 'minimax/hailuo-02', prompt: 'a boat', wait_seconds: 0 }),
      );
      await sleep(1_500);
      expect(
        structured<{ status: string }>(await bin.call('get_video_status', { job_id: later.job_id })).status,
      ).toBe('completed');
      // Asked at once: it waits for the save in flight and answers that file.
      const asked = structured<{ already_saved?: boolean; path: string }>(
        await bin.call('download_video', { job_id: waited.job_id }),
      );
      expect(asked.already_saved).toBe(true);
      const saved = async () =>
        (await readdir(outputDir).catch(() => [] as string[])).filter((f) => f.endsWith('.mp4'));
      for (let i = 0; i < 100 && (await saved()).length < 2; i++) await sleep(50);
      expect((await saved()).some((f) => f.includes(waited.job_id))).toBe(true);
      expect((await saved()).some((f) => f.includes(later.job_id))).toBe(true);
      expect(await saved()).toHaveLength(2);
    } finally {
      await bin.close();
    }
  });
});
