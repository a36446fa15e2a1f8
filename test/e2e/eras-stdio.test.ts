/**
 * Issue 12's matrix over stdio: the built bin driven by a 2025-era client (the v1 SDK's, initialize)
 * and a 2026-07-28 one (the v2 client, no initialize), in sandbox mode and against a standalone
 * emulator with faults on; then a 2026-era cancellation (notifications/cancelled) mid-wait.
 */
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
import { modernStdio } from '../helpers/modern-client.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

type Era = EraClient['era'];

/** The bin over stdio as a client of `era` starts it, with its stderr. */
async function connect(era: Era, env: Record<string, string>): Promise<{ c: EraClient; stderr(): string }> {
  if (era === '2025') {
    const bin = await spawnBin(env);
    return { c: fromV1(bin.client), stderr: bin.stderr };
  }
  const bin = await modernStdio(env);
  return { c: fromV2(bin.client), stderr: bin.stderr };
}

async function inCell(
  era: Era,
  backend: CellBackend,
  run: (c: EraClient, stderr: () => string) => Promise<void>,
): Promise<void> {
  try {
    const { c, stderr } = await connect(era, backend.env);
    try {
      await run(c, stderr);
    } finally {
      await c.close();
    }
  } finally {
    await backend.dispose();
  }
}

describe.concurrent('every tool over stdio, both eras, sandbox and emulator', () => {
  ensureBuilt();
  it.for([
    ['2025', true],
    ['2025', false],
    ['2026-07-28', true],
    ['2026-07-28', false],
  ] as [Era, boolean][])('%s client, sandbox %s', { timeout: 90_000 }, async ([era, sandbox]) => {
    const backend = await startBackend(sandbox);
    await inCell(era, backend, async (c) => {
      expect(c.era).toBe(era);
      await walkEveryTool(c, backend);
      await backend.checkFaultsMet();
    });
  });
});

describe('2026-07-28 cancellation over stdio', () => {
  it('ends the wait on notifications/cancelled; the job stays in the ledger and is watched to the end', {
    timeout: 60_000,
  }, async () => {
    ensureBuilt();
    const backend = await startBackend(true);
    backend.env.VIDEO_MCP_SANDBOX_JOB_SECONDS = '4';
    await inCell('2026-07-28', backend, cancelThenWatch);
  });
});
