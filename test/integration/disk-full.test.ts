/**
 * A full disk, for real: the output dir is a 256 KB tmpfs. Mounting needs root (CI has it); where it
 * is not allowed the test says so and skips rather than pretending.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadToFile } from '../../src/files/download.js';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { paddedMp4 } from '../helpers/containers.js';
import { type ScriptedServer, scriptedServer, serve } from '../helpers/scripted-server.js';

const VIDEO = paddedMp4(sandboxVideo('mp4').length + 1_000_000);

describe('a full disk', () => {
  let mountPoint: string;
  let mounted = false;
  let server: ScriptedServer;
  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(os.tmpdir(), 'tvm-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
    server = await scriptedServer(serve(VIDEO));
  });
  afterAll(async () => {
    await server.close();
    if (mounted) execFileSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('fails with a clear error naming the folder, and leaves no partial file', async (ctx) => {
    if (!mounted) ctx.skip('cannot mount a small tmpfs here (needs root)');
    const err = (await downloadToFile({
      url: `${server.url}/v.mp4`,
      outputDir: mountPoint,
      defaultBase: 'job-full',
      resumeKey: 'job-full',
    }).catch((e: unknown) => e)) as DownloadError;
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.reason).toBe('filesystem');
    expect(err.message).toMatch(/disk is full/);
    expect(err.message).toContain(mountPoint);
    expect(await readdir(mountPoint)).toEqual([]);
  });
});
