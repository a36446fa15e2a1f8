/**
 * Issue 12's matrix over Streamable HTTP: the built bin with --http (bearer token on) driven by a
 * 2025-era client (the v1 SDK's: with a session, and against --stateless) and a 2026-07-28 one (the
 * v2 client: no session), in sandbox mode and against a standalone emulator with faults on; then a
 * 2026-era cancellation (the v2 client closes the call's SSE stream) mid-wait, and a 2026-era wait
 * in flight at SIGTERM.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import {
  type CellBackend,
  cancelThenWatch,
  type EraClient,
  fromV1,
  fromV2,
  startBackend,
  structured,
  walkEveryTool,
} from '../helpers/era-cell.js';
import { TOKEN_A } from '../helpers/http-harness.js';
import { modernHttp } from '../helpers/modern-client.js';
import { ensureBuilt, spawnHttpBin } from '../helpers/spawn-bin.mjs';

type Era = EraClient['era'];

async function connect(era: Era, url: string): Promise<EraClient> {
  if (era === '2026-07-28') return fromV2(await modernHttp(url, TOKEN_A));
  const client = new Client({ name: 'eras-http', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN_A}` } },
    }),
  );
  return fromV1(client);
}

async function inCell(
  era: Era,
  backend: CellBackend,
  args: string[],
  run: (c: EraClient, stderr: () => string) => Promise<void>,
): Promise<void> {
  try {
    const bin = await spawnHttpBin({ ...backend.env, VIDEO_MCP_HTTP_TOKEN: TOKEN_A }, args);
    try {
      const c = await connect(era, bin.url);
      try {
        await run(c, bin.stderr);
      } finally {
        await c.close();
      }
    } finally {
      await bin.stop();
    }
  } finally {
    await backend.dispose();
  }
}

describe.concurrent('every tool over HTTP, both eras, sandbox and emulator', () => {
  ensureBuilt();
  it.for([
    ['2025', [], true],
    ['2025', [], false],
    ['2025', ['--stateless'], true],
    ['2025', ['--stateless'], false],
    ['2026-07-28', [], true],
    ['2026-07-28', [], false],
  ] as [Era, string[], boolean][])(
    '%s client, args %j, sandbox %s',
    { timeout: 90_000 },
    async ([era, args, sandbox]) => {
      const backend = await startBackend(sandbox);
      await inCell(era, backend, args, async (c) => {
        expect(c.era).toBe(era);
        await walkEveryTool(c, backend);
        await backend.checkFaultsMet();
      });
    },
  );
});

describe('2026-07-28 cancellation over HTTP', () => {
  it('ends the wait when the client aborts the call; the job stays in the ledger and is watched to the end', {
    timeout: 60_000,
  }, async () => {
    ensureBuilt();
    const backend = await startBackend(true);
    backend.env.VIDEO_MCP_SANDBOX_JOB_SECONDS = '4';
    await inCell('2026-07-28', backend, [], cancelThenWatch);
  });
});

describe.concurrent('2026-07-28 graceful shutdown over HTTP', () => {
  it.for([
    { mode: 'sessions', args: [] },
    { mode: '--stateless', args: ['--stateless'] },
  ])(
    '$mode: a wait in flight at SIGTERM answers at once with its job id',
    {
      timeout: 60_000,
    },
    async ({ args }) => {
      ensureBuilt();
      const backend = await startBackend(true);
      backend.env.VIDEO_MCP_SANDBOX_JOB_SECONDS = '30';
      try {
        const bin = await spawnHttpBin({ ...backend.env, VIDEO_MCP_HTTP_TOKEN: TOKEN_A }, args);
        const c = fromV2(await modernHttp(bin.url, TOKEN_A));
        let firstProgress: () => void = () => {};
        const waiting = new Promise<void>((resolve) => {
          firstProgress = resolve;
        });
        const pending = c.call(
          'create_video',
          { model: 'minimax/hailuo-02', prompt: 'a lighthouse at shutdown', wait_seconds: 60 },
          { onprogress: () => firstProgress() },
        );
        await waiting;
        const begun = Date.now();
        const stopped = bin.stop('SIGTERM');
        const answer = structured<{ job_id: string; status: string; next_step: string }>(await pending);
        expect(Date.now() - begun).toBeLessThan(1500);
        expect(answer.job_id).toBeTruthy();
        expect(answer.status).not.toBe('completed');
        expect(answer.next_step).toMatch(/get_video_status/);
        expect(await stopped).toBe(0);
        await c.close();
      } finally {
        await backend.dispose();
      }
    },
  );
});
