/**
 * Issue 12's matrix over Streamable HTTP: the built bin with --http (bearer token on) driven by a
 * 2025-era client (the v1 SDK's: with a session, and against --stateless) and a 2026-07-28 one (the
 * v2 client: no session), in sandbox mode and against a standalone emulator with faults on; then a
 * 2026-era cancellation (the v2 client closes the call's SSE stream) mid-wait.
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
