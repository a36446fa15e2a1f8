/**
 * The emulator's state file: jobs outlive the emulator that made them, are shared with another
 * emulator on the same file (each with its own key), and a damaged line costs only itself.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/sandbox/emulator.js';
import { createdId, emulator, getJob, manualClock, videoUrlOf } from '../helpers/emulator.js';

describe('emulator state file', () => {
  let dir: string;
  let stateFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-emu-state-'));
    stateFile = path.join(dir, 'nested', 'sandbox-jobs.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a job made before a restart, completed by the time that passed meanwhile', async () => {
    const clock = manualClock();
    const first = await emulator({ stateFile, clock: clock.now, jobDurationMs: 10_000 });
    const id = await createdId(first, { model: 'google/veo-3.0', prompt: 'a fox', seconds: '8' });
    expect((await getJob(first, id)).status).toBe('in_progress');
    await first.close();

    clock.advance(11_000);
    const second = await emulator({ stateFile, clock: clock.now, jobDurationMs: 10_000 });
    expect(second.jobCount()).toBe(1);
    const job = await getJob(second, id);
    expect(job).toMatchObject({ id, status: 'completed', model: 'google/veo-3.0', seconds: '8' });
    const video = await fetch(videoUrlOf(job));
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('finds a job another emulator on the same file made after this one started', async () => {
    const reader = await emulator({ stateFile });
    // A different key: the state file is not tied to the key of the process that wrote it.
    const writer = await startEmulator({ stateFile, apiKey: 'another-process-key', jobDurationMs: 300 });
    try {
      const res = await fetch(`${writer.url}/v2/videos`, {
        method: 'POST',
        headers: { authorization: 'Bearer another-process-key', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.0', prompt: 'a heron' }),
      });
      const id = String(((await res.json()) as { id: string }).id);
      expect(reader.jobCount()).toBe(0);
      expect(await getJob(reader, id)).toMatchObject({ id, model: 'google/veo-3.0' });
    } finally {
      await writer.close();
    }
  });

  it('skips a damaged line, keeps the jobs around it, and does not keep inline media', async () => {
    const first = await emulator({ stateFile });
    const big = 'A'.repeat(50_000);
    const before = await createdId(first, {
      model: 'google/veo-3.0',
      prompt: 'before',
      media: { frame_images: [{ input_image: big, frame: 'first' }] },
    });
    await appendFile(stateFile, '\n{"id":"torn-by-a-cr');
    const after = await createdId(first, { model: 'google/veo-3.0', prompt: 'after' });
    await first.close();
    expect((await readFile(stateFile, 'utf8')).length).toBeLessThan(5_000);

    const second = await emulator({ stateFile });
    expect(second.jobCount()).toBe(2);
    expect(await getJob(second, before)).toMatchObject({ id: before });
    expect(await getJob(second, after)).toMatchObject({ id: after });
  });

  it('keeps jobs in memory only when no state file is given', async () => {
    const first = await emulator();
    await createdId(first);
    await first.close();
    const second = await emulator();
    expect(second.jobCount()).toBe(0);
  });
});
