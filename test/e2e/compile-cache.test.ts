/**
 * The launcher's V8 code cache: written by the first start into the user's cache folder (private
 * to the user), accepted as is by later starts, including after a run that made API calls (which
 * change a V8 flag: the cache must be saved before that, or every start would reject and rewrite it).
 * VIDEO_MCP_NO_STARTUP_TRICKS=1 starts without it.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

describe('the code cache', () => {
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-cache-'));
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  async function runOnce(env: Record<string, string> = {}): Promise<void> {
    const bin = await spawnBin({ HOME: home, VIDEO_MCP_SANDBOX_JOB_SECONDS: '0', ...env });
    try {
      expect((await bin.client.listTools()).tools).toHaveLength(6);
      const created = await bin.call('create_video', {
        model: 'minimax/hailuo-02',
        prompt: 'cache',
        wait_seconds: 0,
      });
      expect(created.isError).toBeFalsy();
    } finally {
      await bin.close();
    }
    // The client closing stdin makes the server exit; the cache is written on the way out.
    await new Promise((r) => setTimeout(r, 500));
  }

  it('is written once, private, and reused after a run that called the API', async () => {
    await runOnce();
    const dir = path.join(home, '.cache', 'together-video-mcp');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const file = path.join(dir, files[0] ?? '');
    const first = await stat(file);
    expect(first.size).toBeGreaterThan(100_000);
    expect(first.mode & 0o077).toBe(0);
    await runOnce();
    const second = await stat(file);
    expect(await readdir(dir)).toEqual(files);
    expect(second.mtimeMs).toBe(first.mtimeMs);
  });

  it('is neither read nor written with VIDEO_MCP_NO_STARTUP_TRICKS=1', async () => {
    const plain = await mkdtemp(path.join(os.tmpdir(), 'tvm-nocache-'));
    try {
      await runOnce({ HOME: plain, VIDEO_MCP_NO_STARTUP_TRICKS: '1' });
      await expect(readdir(path.join(plain, '.cache', 'together-video-mcp'))).rejects.toMatchObject({
        code: 'ENOENT',
      });
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });
});
