/**
 * The standalone emulator (`together-video-mcp emulator`) as a user's CI would run it, with faults
 * switched on over its control plane, and the server bin driven against it by the SDK's Client.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  ensureBuilt,
  type ListeningBin,
  ROOT,
  spawnBin,
  spawnEmulatorBin,
} from '../helpers/spawn-bin.mjs';

const KEY = 'ci-key-123456';

async function control(url: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/__emulator/${route}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('standalone emulator with faults, driven through the server bin', () => {
  let emulator: ListeningBin;
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    emulator = await spawnEmulatorBin(KEY, ['--port', '0', '--job-seconds', '1', '--shape', 'docs']);
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-ci-'));
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('prints --version and a --help that lists every variable', () => {
    const version = execFileSync(process.execPath, [BIN, '--version']).toString().trim();
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version).toBe(pkg.version);
    const help = execFileSync(process.execPath, [BIN, '--help']).toString();
    for (const name of ['TOGETHER_API_KEY', 'VIDEO_MCP_OUTPUT_DIR', 'VIDEO_MCP_API_URL', 'emulator', 'demo'])
      expect(help).toContain(name);
  });

  it('survives a 429 on create, 503s while polling and a truncated download, and the file is whole', async () => {
    await control(emulator.url, 'faults', [
      { route: 'create', kind: 'status', status: 429, retryAfterSeconds: 0, times: 1 },
      { route: 'retrieve', kind: 'status', status: 503, times: 2 },
      { route: 'download', kind: 'truncate', afterBytes: 5_000, times: 1 },
    ]);
    const bin = await spawnBin({ HOME: home, TOGETHER_API_KEY: KEY, VIDEO_MCP_API_URL: emulator.url });
    try {
      const created = await bin.call('create_video', {
        model: 'kwaivgI/kling-2.1-master',
        prompt: 'a koi pond in autumn',
        wait_seconds: 60,
      });
      expect(created.isError).toBeFalsy();
      const job = created.structuredContent as { job_id: string; status: string };
      expect(job.status).toBe('completed');
      const saved = await bin.call('download_video', { job_id: job.job_id });
      expect(saved.isError).toBeFalsy();
      const file = saved.structuredContent as { path: string; sha256: string; resumed: number };
      expect(file.resumed).toBeGreaterThanOrEqual(1);
      expect(
        createHash('sha256')
          .update(await readFile(file.path))
          .digest('hex'),
      ).toBe(file.sha256);
      const seen = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
        route: string;
        method: string;
      }[];
      expect(seen.filter((r) => r.route === 'create').length).toBe(2);
    } finally {
      await bin.close();
    }
  });
});
