/**
 * download_video through the SDK client against the emulator: a second call answers the copy
 * already saved, progress reads in units that fit the file, and file names that cannot be written
 * (too long in UTF-8) or that disguise themselves (bidi controls) are refused before any byte moves.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

const ARGS = { model: 'minimax/video-01-director', prompt: 'a fox in the snow', wait_seconds: 30 };

interface Saved {
  path: string;
  bytes: number;
  sha256: string;
  already_saved: boolean;
}

describe('download_video', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 300, urlTtlMs: 60_000 } });
  });
  afterAll(async () => h.close());

  async function finishedJob(): Promise<string> {
    return structured<{ job_id: string }>(await h.call('create_video', ARGS)).job_id;
  }
  const fetches = () => h.emulator.requests.filter((r) => r.route === 'download').length;
  const videos = async () => (await readdir(h.outputDir)).filter((f) => !f.startsWith('.')).sort();

  it('answers the copy already saved (same path and sha256) instead of saving fox-1.mp4', async () => {
    const jobId = await finishedJob();
    const first = structured<Saved>(await h.call('download_video', { job_id: jobId, filename: 'fox' }));
    expect(first).toMatchObject({ path: path.join(h.outputDir, 'fox.mp4'), already_saved: false });
    const before = fetches();

    const again = await h.call('download_video', { job_id: jobId });
    expect(structured<Saved>(again)).toMatchObject({
      path: first.path,
      sha256: first.sha256,
      bytes: first.bytes,
      already_saved: true,
    });
    expect(textOf(again)).toContain(`Already saved at ${first.path}`);
    const sameName = structured<Saved>(
      await h.call('download_video', { job_id: jobId, filename: 'fox.mp4' }),
    );
    expect(sameName).toMatchObject({ path: first.path, already_saved: true });
    expect(fetches()).toBe(before);
    expect(await videos()).toEqual(['fox.mp4']);

    // A different name asks for another copy.
    const copy = structured<Saved>(await h.call('download_video', { job_id: jobId, filename: 'fox copy' }));
    expect(copy).toMatchObject({ path: path.join(h.outputDir, 'fox copy.mp4'), sha256: first.sha256 });
    expect(copy.already_saved).toBe(false);
    await rm(copy.path);
    await rm(first.path);
  });

  it('downloads again when the saved file was changed or removed', async () => {
    const jobId = await finishedJob();
    const first = structured<Saved>(await h.call('download_video', { job_id: jobId }));
    const bytes = await readFile(first.path);
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0xff;
    await writeFile(first.path, bytes);

    const afterEdit = structured<Saved>(await h.call('download_video', { job_id: jobId }));
    expect(afterEdit.already_saved).toBe(false);
    expect(afterEdit.path).not.toBe(first.path);
    expect(
      createHash('sha256')
        .update(await readFile(afterEdit.path))
        .digest('hex'),
    ).toBe(first.sha256);

    await rm(afterEdit.path);
    const afterRemoval = structured<Saved>(await h.call('download_video', { job_id: jobId }));
    expect(afterRemoval.already_saved).toBe(false);
    expect(afterRemoval.sha256).toBe(first.sha256);
    await rm(afterRemoval.path);
    await rm(first.path);
  });

  it('reports the progress of a small file in KB, not "0.0 of 0.0 MB"', async () => {
    const jobId = await finishedJob();
    const messages: string[] = [];
    const result = await h.call('download_video', { job_id: jobId }, (p) => {
      if (p.message?.startsWith('downloaded')) messages.push(p.message);
    });
    const saved = structured<Saved>(result);
    expect(saved.bytes).toBeLessThan(1_000_000);
    const size = `${(saved.bytes / 1000).toFixed(1)} KB`;
    expect(messages.at(-1)).toBe(`downloaded ${size} of ${size}`);
    expect(textOf(result)).toContain(`Saved ${size} video/mp4`);
    await rm(saved.path);
  });

  const refused: [string, string, RegExp][] = [
    ['100 emoji (400 bytes in UTF-8)', '🦊'.repeat(100), /400 bytes in UTF-8.*at most 245 bytes/],
    ['a right-to-left override', '\u202Eevil.gpj.mp4', /U\+202E \(RIGHT-TO-LEFT OVERRIDE\)/],
    ['a left-to-right isolate', 'a\u2066b', /U\+2066/],
  ];
  for (const [what, filename, message] of refused) {
    it(`refuses a filename with ${what} before downloading anything`, async () => {
      const jobId = await finishedJob();
      const before = fetches();
      const result = await h.call('download_video', { job_id: jobId, filename });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(message);
      expect(fetches()).toBe(before);
      expect(await videos()).toEqual([]);
    });
  }

  it('still takes a long name that fits, emoji included', async () => {
    const jobId = await finishedJob();
    const filename = `${'🦊'.repeat(30)} ${'a'.repeat(100)}`;
    const saved = structured<Saved>(await h.call('download_video', { job_id: jobId, filename }));
    expect(path.basename(saved.path)).toBe(`${filename}.mp4`);
    await rm(saved.path);
  });
});
