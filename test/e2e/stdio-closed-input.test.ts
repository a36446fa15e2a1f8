/**
 * Closed inputs through the built bin over stdio, as a real client meets them: the SDK validates
 * before our handler, so this checks our full answer (not the SDK's first complaint) reaches the
 * client, and that nothing reaches the API, whatever the size of the argument.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { TEST_KEY, textOf } from '../helpers/harness.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

describe('closed inputs over stdio', () => {
  let home: string;
  let emulator: Emulator;
  let bin: SpawnedBin;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-home-'));
    emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 500 });
    bin = await spawnBin({ TOGETHER_API_KEY: TEST_KEY, VIDEO_MCP_API_URL: emulator.url, HOME: home });
  });
  afterAll(async () => {
    await bin.close();
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses unknown arguments with the fields meant, before any request', async () => {
    const result = await bin.call('create_video', {
      model: 'kwaivgI/kling-2.1-master',
      prompt: 'a red fox in snow',
      duration: 10,
      aspect_ratio: '16:9',
      size: '1920x1080',
    });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/^Nothing was sent to Together and nothing was charged\./);
    expect(text).toMatch(/- duration: unknown field; use seconds/);
    expect(text).toMatch(/- aspect_ratio: .*width: 1920, height: 1080/);
    expect(text).toMatch(/- size: unknown field; use width: 1920, height: 1080/);
    const refused = await bin.call('list_video_models', { unknown_filter: 1 });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/unknown_filter: unknown field\. Accepted: organization/);
    expect(emulator.requests).toEqual([]);
  });

  it('refuses a 1 MB model id quickly, saying the cap', async () => {
    const started = performance.now();
    const result = await bin.call('create_video', { model: 'x'.repeat(1024 * 1024), prompt: 'a fox' });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/model: is 1048576 characters; at most 100 are accepted/);
    expect(emulator.requests).toEqual([]);
  });
});
