/**
 * The built bin with VIDEO_MCP_DATABASE_URL: jobs go to PostgreSQL instead of the state dir's file,
 * a second process finds them there, `import-ledger` copies a file ledger in (twice: nothing twice),
 * /healthz names the store, and the database password is in no log or answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_A, TOKEN_B } from '../helpers/http-harness.js';
import { EDIT_MODEL } from '../helpers/inputs.js';
import { modernHttp } from '../helpers/modern-client.js';
import { adminPassword, freshDatabase } from '../helpers/postgres.js';
import {
  BIN,
  ensureBuilt,
  type ListeningBin,
  spawnBin,
  spawnEmulatorBin,
  spawnHttpBin,
} from '../helpers/spawn-bin.mjs';

const KEY = 'pg-bin-key-0123456789';

function structured<T>(result: unknown): T {
  const r = result as CallToolResult;
  if (r.isError) throw new Error(JSON.stringify(r.content));
  return r.structuredContent as T;
}

describe('the bin on PostgreSQL', () => {
  let emulator: ListeningBin;
  let home: string;
  let env: Record<string, string>;
  const logs: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '1']);
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-pg-bin-'));
    env = {
      HOME: home,
      TOGETHER_API_KEY: KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_DATABASE_URL: await freshDatabase(),
      VIDEO_MCP_LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('keeps jobs in the database, where another process finds them, and not in the state dir', async () => {
    const first = await spawnBin(env);
    let jobId: string;
    try {
      const created = structured<{ job_id: string; status: string }>(
        await first.call('create_video', {
          model: 'minimax/hailuo-02',
          prompt: 'a lighthouse',
          wait_seconds: 30,
        }),
      );
      expect(created.status).toBe('completed');
      jobId = created.job_id;
      const saved = structured<{ path: string; bytes: number }>(
        await first.call('download_video', { job_id: jobId }),
      );
      expect(saved.bytes).toBeGreaterThan(0);
    } finally {
      logs.push(first.stderr());
      await first.close();
    }
    expect(existsSync(path.join(home, '.local', 'state', 'together-video-mcp', 'jobs.jsonl'))).toBe(false);

    const second = await spawnBin(env);
    try {
      const listed = structured<{ jobs: { job_id: string; status: string; file_path?: string }[] }>(
        await second.call('list_video_jobs', {}),
      );
      expect(listed.jobs).toEqual([expect.objectContaining({ job_id: jobId, status: 'completed' })]);
      expect(listed.jobs[0]?.file_path).toBeDefined();
      // A job another process made is a `job:` input here too.
      const edit = await second.call('create_video', {
        ...EDIT_MODEL,
        media: { source_video: `job:${jobId}` },
      });
      expect(edit.isError, JSON.stringify(edit.content)).toBeFalsy();
    } finally {
      logs.push(second.stderr());
      await second.close();
    }
  });

  it('imports a file ledger with import-ledger, and a second import writes nothing', async () => {
    const fileHome = await mkdtemp(path.join(os.tmpdir(), 'tvm-pg-import-'));
    const { VIDEO_MCP_DATABASE_URL: url, ...fileEnv } = env;
    const onFile = await spawnBin({ ...fileEnv, HOME: fileHome });
    let jobId: string;
    try {
      jobId = structured<{ job_id: string }>(
        await onFile.call('create_video', {
          model: 'minimax/hailuo-02',
          prompt: 'a harbour',
          wait_seconds: 0,
        }),
      ).job_id;
    } finally {
      await onFile.close();
    }
    const run = () =>
      spawnSync(process.execPath, [BIN, 'import-ledger', '--database-url', url ?? ''], {
        cwd: '/',
        env: { PATH: process.env.PATH ?? '', HOME: fileHome },
        encoding: 'utf8',
      });
    const once = run();
    expect(once.status, once.stderr).toBe(0);
    expect(once.stdout).toMatch(
      /^Imported 1 jobs from .*jobs\.jsonl into postgres:\/\/\S+: 1 written, 0 already there\.$/m,
    );
    const twice = run();
    expect(twice.stdout).toMatch(/: 0 written, 1 already there\.$/m);
    logs.push(once.stdout, once.stderr, twice.stdout, twice.stderr);

    const onDb = await spawnBin(env);
    try {
      const status = structured<{ job_id: string }>(await onDb.call('get_video_status', { job_id: jobId }));
      expect(status.job_id).toBe(jobId);
    } finally {
      logs.push(onDb.stderr());
      await onDb.close();
    }
    await rm(fileHome, { recursive: true, force: true });
  });

  it('names the store in /healthz', async () => {
    const http = await spawnHttpBin(env);
    try {
      const health = await (await fetch(http.url.replace('/mcp', '/healthz'))).json();
      expect(health).toMatchObject({ status: 'ok', store: { kind: 'postgres', ok: true } });
      logs.push(JSON.stringify(health));
    } finally {
      await http.stop();
      logs.push(http.stderr());
    }
  });

  it("keeps each token's jobs to it across replicas", async () => {
    const tokens = { ...env, VIDEO_MCP_HTTP_TOKEN: `${TOKEN_A},${TOKEN_B}` };
    const [one, two] = [await spawnHttpBin(tokens), await spawnHttpBin(tokens)];
    try {
      const a = await modernHttp(one.url, TOKEN_A);
      const made = structured<{ job_id: string }>(
        await a.callTool({
          name: 'create_video',
          arguments: { model: 'minimax/hailuo-02', prompt: 'a fox', wait_seconds: 0 },
        }),
      );
      const aElsewhere = await modernHttp(two.url, TOKEN_A);
      const seen = await aElsewhere.callTool({
        name: 'get_video_status',
        arguments: { job_id: made.job_id },
      });
      expect(seen.isError).toBeFalsy();
      const b = await modernHttp(two.url, TOKEN_B);
      const hidden = (await b.callTool({
        name: 'get_video_status',
        arguments: { job_id: made.job_id },
      })) as CallToolResult;
      expect(hidden.isError).toBe(true);
      expect(JSON.stringify(hidden.content)).toMatch(/No video job with id/);
      for (const c of [a, aElsewhere, b]) await c.close();
    } finally {
      await one.stop();
      await two.stop();
      logs.push(one.stderr(), two.stderr());
    }
  });

  it('never prints the database password', () => {
    expect(logs.join('\n')).toContain('jobs, spend and rate limits in PostgreSQL');
    expect(logs.join('\n')).not.toContain(adminPassword());
  });
});
