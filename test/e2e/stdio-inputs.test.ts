/**
 * Local and inline inputs through the built bin over stdio (sandbox mode): a FIFO in an allowed
 * folder is refused at once instead of blocking a libuv thread for good (four of them used to stall
 * every tool and shutdown), and inline data over the stated limit gets an answer, not a dead pipe.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paddedMp4 } from '../helpers/containers.js';
import { textOf } from '../helpers/harness.js';
import { EDIT_MODEL, FRAME_MODEL, PNG } from '../helpers/inputs.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !alive(pid);
}

describe('inputs through the built bin over stdio', () => {
  let dir: string;
  let bin: SpawnedBin | undefined;
  beforeAll(() => ensureBuilt());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-stdio-in-'));
    await mkdir(path.join(dir, 'inputs'));
    bin = await spawnBin({
      HOME: dir,
      VIDEO_MCP_INPUT_DIRS: path.join(dir, 'inputs'),
      VIDEO_MCP_OUTPUT_DIR: path.join(dir, 'out'),
      VIDEO_MCP_STATE_DIR: path.join(dir, 'state'),
    });
  });
  afterEach(async () => {
    // A server stuck on a FIFO ignores its closed stdin: only SIGKILL ends it.
    if (bin && alive(bin.pid)) process.kill(bin.pid, 'SIGKILL');
    bin = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (args: Record<string, unknown>, timeout = 5_000): Promise<CallToolResult> =>
    (await bin?.client.callTool({ name: 'create_video', arguments: args }, undefined, {
      timeout,
    })) as CallToolResult;

  it('refuses four FIFOs at once, keeps serving, and still shuts down', async () => {
    const fifo = path.join(dir, 'inputs', 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    await writeFile(path.join(dir, 'inputs', 'frame.png'), PNG);
    const frame = (file: string) => ({
      ...FRAME_MODEL,
      media: { frame_images: [{ input_image: file, frame: 'first' }] },
    });

    const started = Date.now();
    const refused = await Promise.all([1, 2, 3, 4].map(() => call(frame(fifo))));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const result of refused) {
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(
        `${fifo} is a FIFO (named pipe), not a regular file; only regular files are read.`,
      );
    }
    const ok = await call(frame(path.join(dir, 'inputs', 'frame.png')), 15_000);
    expect(ok.isError, textOf(ok)).toBeFalsy();

    const pid = bin?.pid ?? 0;
    await bin?.close();
    expect(await exited(pid, 5_000)).toBe(true);
  });

  it('answers inline data over the limit with where to put it instead, and the connection stays open', async () => {
    // 7.2 MB of video is 9.6 MB of base64: it fits one stdio message (10 MB) but not the inline limit.
    const video = paddedMp4(Math.round(7.2 * 1024 * 1024)).toString('base64');
    const result = await call(
      { ...EDIT_MODEL, media: { source_video: `data:video/mp4;base64,${video}` } },
      15_000,
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/media\.source_video: is inline data \(7\.2 MB\).*at most 7 MB per call/);
    expect(textOf(result)).toMatch(/absolute path \(video files up to 100 MB\), or pass an https URL/);
    const models = await bin?.client.callTool({ name: 'list_video_models', arguments: {} });
    expect(models?.isError).toBeFalsy();
  });

  it('answers an 8 MB inline video (10.7 MB of base64, over the stdio message limit) instead of closing', async () => {
    const video = paddedMp4(8 * 1024 * 1024).toString('base64');
    const result = await bin?.client
      .callTool(
        {
          name: 'create_video',
          arguments: { ...EDIT_MODEL, media: { source_video: `data:video/mp4;base64,${video}` } },
        },
        undefined,
        { timeout: 15_000 },
      )
      .catch((error: unknown) => error);
    // The SDK alone closed the connection here, and the call waited for its time-out.
    expect(result).toBeInstanceOf(Error);
    expect((result as { code?: number }).code).toBe(-32600);
    expect(String((result as Error).message)).toMatch(
      /this message is 10\.7 MiB; over stdio a message may be at most 10\.0 MiB.*file path/,
    );
    const models = await bin?.client.callTool({ name: 'list_video_models', arguments: {} });
    expect(models?.isError).toBeFalsy();
  });
});
