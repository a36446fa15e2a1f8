/**
 * Issue 12's matrix over stdio: the built bin driven by a 2025-era client (the v1 SDK's, initialize)
 * and a 2026-07-28 one (the v2 client, no initialize), in sandbox mode and against a standalone
 * emulator with faults on; then a 2026-era cancellation (notifications/cancelled) mid-wait.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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
import { BIN, ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

type Era = EraClient['era'];

interface WireMessage {
  id?: number;
  method?: string;
  params?: { progress: number; total?: number };
  result?: { structuredContent?: { status?: string } };
}

/** How a request says its era when there is no initialize: version, capabilities and identity in `_meta`. */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'eras-wire', version: '1.0.0' },
};

/**
 * create_video's lines on the bin's stdout, as written: what the clients make of them depends on
 * how they read (see era-cell.ts's lateProgress), the order on the wire does not.
 */
async function createOnTheWire(era: Era, env: Record<string, string>): Promise<WireMessage[]> {
  const child = spawn(process.execPath, [BIN], { cwd: '/', env: { PATH: process.env.PATH ?? '', ...env } });
  const lines: WireMessage[] = [];
  const waiters = new Map<number, () => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as WireMessage;
    lines.push(message);
    if (message.id !== undefined && message.method === undefined) waiters.get(message.id)?.();
  });
  const request = (id: number, method: string, params: Record<string, unknown>): Promise<void> =>
    new Promise((resolve) => {
      waiters.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  try {
    if (era === '2025') {
      await request(0, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'eras-wire', version: '1.0.0' },
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    }
    const start = lines.length;
    await request(1, 'tools/call', {
      name: 'create_video',
      arguments: { model: 'minimax/hailuo-02', prompt: 'a lighthouse on the wire', wait_seconds: 30 },
      _meta: { ...(era === '2025' ? {} : MODERN_META), progressToken: 'wire' },
    });
    return lines.slice(start);
  } finally {
    child.kill();
  }
}

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

describe.concurrent('progress on the wire, both eras', () => {
  it.for(['2025', '2026-07-28'] as Era[])(
    '%s: strictly increasing, and the total is written before the result',
    {
      timeout: 60_000,
    },
    async (era) => {
      ensureBuilt();
      const backend = await startBackend(true);
      try {
        const lines = await createOnTheWire(era, backend.env);
        const result = lines.at(-1);
        expect(result?.id).toBe(1);
        expect(result?.result?.structuredContent?.status).toBe('completed');
        const progress = lines.slice(0, -1).map((m) => {
          expect(m.method).toBe('notifications/progress');
          return m.params;
        });
        expect(progress.length).toBeGreaterThan(1);
        for (let i = 1; i < progress.length; i++)
          expect(progress[i]?.progress).toBeGreaterThan(progress[i - 1]?.progress ?? Number.NaN);
        expect(progress.at(-1)).toMatchObject({ progress: 100, total: 100 });
      } finally {
        await backend.dispose();
      }
    },
  );
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
