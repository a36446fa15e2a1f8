/**
 * A 2026-era stdio client starts the server twice: a probe process that is asked `server/discover`
 * and killed, then the real one. The probe must not take up background work (resuming the watch of
 * unfinished jobs, auto-downloads): that starts at the first other request.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { TEST_KEY } from '../helpers/harness.js';
import { MODERN } from '../helpers/modern-client.js';
import { BIN, ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a 2026-era client probe over stdio', () => {
  let emulator: Emulator;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureBuilt();
    emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 60_000 });
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-probe-'));
    env = {
      HOME: home,
      TOGETHER_API_KEY: TEST_KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_LOG_LEVEL: 'warn',
    };
    // An unfinished job in the ledger, left by a process that is gone.
    const first = await spawnBin(env);
    const created = await first.call('create_video', {
      model: 'openai/sora-2',
      prompt: 'a kite',
      wait_seconds: 0,
    });
    expect(created.isError).toBeFalsy();
    await first.close();
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  /** The bin with raw stdin/stdout: resolves each JSON-RPC answer by id. */
  function rawBin() {
    const child = spawn(process.execPath, [BIN], { cwd: '/', env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    const waiting = new Map<number, (message: Record<string, unknown>) => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
        const message = JSON.parse(out.slice(0, i)) as Record<string, unknown>;
        out = out.slice(i + 1);
        waiting.get(message.id as number)?.(message);
      }
    });
    return {
      request(id: number, method: string, params: Record<string, unknown>) {
        const answered = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
        return answered;
      },
      kill: () => child.kill('SIGKILL'),
    };
  }

  const polls = () => emulator.requests.filter((r) => r.route === 'retrieve').length;

  it('answers server/discover without watching jobs, and starts watching at the first real request', async () => {
    const bin = rawBin();
    const before = polls();
    try {
      const discovered = await bin.request(1, 'server/discover', {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'probe', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      });
      expect(discovered.result).toMatchObject({ supportedVersions: expect.arrayContaining([MODERN]) });
      // The watcher checks a resumed job at once; give it well over that to show it did not.
      await sleep(1_500);
      expect(polls()).toBe(before);

      await bin.request(2, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'real', version: '1' },
      });
      for (let i = 0; i < 100 && polls() === before; i++) await sleep(50);
      expect(polls()).toBeGreaterThan(before);
    } finally {
      bin.kill();
    }
  });
});
