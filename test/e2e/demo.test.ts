/**
 * README's first command ends in `npm run demo`: the built bin's `demo` starts the server, connects a
 * real MCP client over stdio and saves a playable sandbox video where README says, priced as not charged.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../helpers/probe-video.js';
import { BIN, ensureBuilt } from '../helpers/spawn-bin.mjs';

const run = promisify(execFile);

describe('the demo', () => {
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-demo-'));
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('makes and saves a playable sandbox video with no API key, and says it was not charged', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'demo'], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', HOME: home, VIDEO_MCP_SANDBOX_JOB_SECONDS: '1' },
      timeout: 30_000,
    });
    // The demo's client speaks the current protocol: no initialize, the version on every request.
    expect(stdout).toMatch(/^Connected to together-video-mcp over stdio \(MCP 2026-07-28\): create_video, /m);
    expect(stdout).toMatch(/^Sandbox mode: free, local emulator\.$/m);
    expect(stdout).toMatch(/^Job \S+: completed, cost \$\d+\.\d\d \(sandbox: not charged\)$/m);
    const saved = /^Saved (\d+) bytes \(video\/mp4\) to:\n {2}(\S+)$/m.exec(stdout);
    expect(saved, stdout).not.toBeNull();
    const file = saved?.[2] ?? '';
    expect(path.dirname(file)).toBe(path.join(home, 'Videos', 'together-video-mcp'));
    expect((await stat(file)).size).toBe(Number(saved?.[1]));
    expect((await probeVideo(file)).duration).toBeGreaterThan(0);
  });
});
