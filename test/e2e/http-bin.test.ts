/**
 * The built bin serving Streamable HTTP: the refusal to listen beyond loopback without a token, and
 * SIGTERM in the middle of a download. Replicas on one state dir: replicas-round-robin.test.ts.
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { TEST_KEY } from '../helpers/harness.js';
import { TOKEN_A } from '../helpers/http-harness.js';
import { BIN, ensureBuilt, spawnHttpBin } from '../helpers/spawn-bin.mjs';

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'e2e-http', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    }),
  );
  return client;
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
  })) as CallToolResult;
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return result.structuredContent as Record<string, unknown>;
}

describe('the bin over HTTP', () => {
  let home: string;
  let emulator: Emulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-http-e2e-'));
    emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 300 });
    env = {
      HOME: home,
      TOGETHER_API_KEY: TEST_KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
      VIDEO_MCP_HTTP_TOKEN: TOKEN_A,
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses to listen beyond loopback without a token, and says why', async () => {
    const { VIDEO_MCP_HTTP_TOKEN: _token, ...noToken } = env;
    const run = promisify(execFile);
    const failed = await run(process.execPath, [BIN, '--http', '--host', '0.0.0.0', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', ...noToken },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(
      /Refusing to listen on 0.0.0.0 without VIDEO_MCP_HTTP_TOKEN/,
    );
  });

  it('on SIGTERM mid-download keeps the partial bytes; the next server resumes them to the right sha256', async () => {
    const big = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 200, videoBytes: 300_000_000 });
    const bigEnv = {
      ...env,
      VIDEO_MCP_API_URL: big.url,
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'big'),
      VIDEO_MCP_STATE_DIR: path.join(home, 'big-state'),
      VIDEO_MCP_HTTP_SHUTDOWN_SECONDS: '0',
    };
    try {
      const first = await spawnHttpBin(bigEnv);
      const client = await connect(first.url, TOKEN_A);
      const created = await call(client, 'create_video', {
        model: 'google/veo-3.0',
        prompt: 'long',
        wait_seconds: 30,
      });
      const jobId = String(created.job_id);
      let received = 0;
      const pending = client
        .callTool({ name: 'download_video', arguments: { job_id: jobId } }, undefined, {
          onprogress: (p) => {
            received = p.progress;
          },
          // Far below the default minute: the answer comes at shutdown or not at all.
          timeout: 20_000,
        })
        .catch((error: unknown) => error);
      for (let i = 0; i < 500 && received === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received).toBeGreaterThan(0);
      expect(await first.stop('SIGTERM')).toBe(0);
      // The call was answered before the server went away: stopped, bytes kept, call again to resume.
      const answer = await pending;
      expect(answer).toMatchObject({ isError: true });
      const said = JSON.stringify((answer as CallToolResult).content);
      expect(said).toMatch(/bytes .*kept/);
      expect(said).toMatch(/resume/);
      await client.close();
      const files = await readdir(bigEnv.VIDEO_MCP_OUTPUT_DIR);
      // Nothing under a final name; the partial is kept for resuming.
      expect(files.filter((f) => f.endsWith('.mp4'))).toEqual([]);
      expect(files.some((f) => f.endsWith('.part'))).toBe(true);

      const expected = createHash('sha256');
      const res = await fetch(String(created.video_url));
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) expected.update(chunk);

      const second = await spawnHttpBin(bigEnv);
      try {
        const again = await connect(second.url, TOKEN_A);
        const saved = await call(again, 'download_video', { job_id: jobId });
        expect(saved.resumed).toBeGreaterThanOrEqual(1);
        expect(saved.sha256).toBe(expected.digest('hex'));
        await again.close();
      } finally {
        await second.stop();
      }
    } finally {
      await big.close();
    }
  });
});
