/**
 * Links planted in the output folder under the hidden names a download uses (`.<job_id>.part`, its
 * sidecar, the sidecar's temp file, the lock) must never be written through: the file they point at
 * stays as it was, and the saved video is a regular file of its own.
 */
import { createHash } from 'node:crypto';
import { link, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

const ARGS = { model: 'minimax/video-01-director', prompt: 'a lighthouse in a storm', wait_seconds: 30 };
const PRECIOUS = 'precious data that lives outside the output folder\n';

interface Saved {
  path: string;
  sha256: string;
  bytes: number;
}

describe('planted links at the hidden download names', () => {
  let h: Harness;
  let outside: string;
  let victim: string;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 300, urlTtlMs: 60_000 } });
    outside = await mkdtemp(path.join(os.tmpdir(), 'tvm-victim-'));
    victim = path.join(outside, 'victim.txt');
  });
  afterEach(() => h.emulator.setFaults([]));
  afterAll(async () => {
    await h.close();
    await rm(outside, { recursive: true, force: true });
  });

  async function finishedJob(): Promise<string> {
    const job = structured<{ job_id: string; status: string }>(await h.call('create_video', ARGS));
    expect(job.status).toBe('completed');
    await writeFile(victim, PRECIOUS);
    return job.job_id;
  }

  async function expectRegularVideo(saved: Saved): Promise<void> {
    const stats = await lstat(saved.path);
    expect(stats.isFile() && !stats.isSymbolicLink()).toBe(true);
    expect(stats.nlink).toBe(1);
    expect(
      createHash('sha256')
        .update(await readFile(saved.path))
        .digest('hex'),
    ).toBe(saved.sha256);
  }

  for (const suffix of ['part', 'part.json', 'lock']) {
    it(`refuses a symlink at .<job_id>.${suffix}, leaves its target alone, and saves once it is gone`, async () => {
      const jobId = await finishedJob();
      const planted = path.join(h.outputDir, `.${jobId}.${suffix}`);
      await symlink(victim, planted);

      const refused = await h.call('download_video', { job_id: jobId });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain(planted);
      expect(textOf(refused)).toMatch(/is a symbolic link.*remove it and download again/);
      expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
      expect((await lstat(planted)).isSymbolicLink()).toBe(true);

      await rm(planted);
      const saved = await h.call('download_video', { job_id: jobId });
      expect(saved.isError, textOf(saved)).toBeFalsy();
      await expectRegularVideo(structured<Saved>(saved));
      expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
    });
  }

  it("never writes through a symlink at the sidecar's temp name when an interrupted download is kept", async () => {
    const jobId = await finishedJob();
    const planted = path.join(h.outputDir, `.${jobId}.part.json.tmp`);
    await symlink(victim, planted);
    // Every attempt is cut short, so the download gives up and keeps its bytes (writing the sidecar).
    h.emulator.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 1_000, times: Infinity }]);
    const cut = await h.call('download_video', { job_id: jobId });
    expect(cut.isError).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
    expect((await lstat(planted)).isSymbolicLink()).toBe(true);

    h.emulator.setFaults([]);
    await rm(planted);
    const saved = await h.call('download_video', { job_id: jobId });
    expect(saved.isError, textOf(saved)).toBeFalsy();
    await expectRegularVideo(structured<Saved>(saved));
  });

  it('drops a hard link planted at .<job_id>.part instead of writing into the file it shares', async () => {
    const jobId = await finishedJob();
    await link(victim, path.join(h.outputDir, `.${jobId}.part`));
    const saved = await h.call('download_video', { job_id: jobId });
    expect(saved.isError, textOf(saved)).toBeFalsy();
    expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
    await expectRegularVideo(structured<Saved>(saved));
  });
});
