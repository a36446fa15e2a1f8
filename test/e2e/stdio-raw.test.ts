/**
 * The built bin over stdio, fed raw lines: anything that is not a JSON-RPC message gets its
 * JSON-RPC error (the SDK alone answers nothing), and the server keeps serving afterwards.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../helpers/spawn-bin.mjs';

interface Reply {
  jsonrpc: string;
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

describe('the bin over stdio, fed raw lines', () => {
  let home: string;
  let child: ChildProcessWithoutNullStreams;
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';

  /** Writes one line and resolves with the next line the server writes (undefined after 5 s). */
  async function exchange(line: string): Promise<Reply | undefined> {
    const seen = replies.length;
    child.stdin.write(`${line}\n`);
    const deadline = Date.now() + 5_000;
    while (replies.length === seen && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return replies[seen];
  }

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-raw-'));
    child = spawn(process.execPath, [BIN], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', HOME: home },
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    // Every stdout line must be JSON: stdout belongs to the protocol.
    createInterface({ input: child.stdout }).on('line', (line) => {
      replies.push(JSON.parse(line) as Reply);
      for (const wake of waiters.splice(0)) wake();
    });
    const init = await exchange(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    );
    expect(init?.result).toBeDefined();
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  });
  afterAll(async () => {
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    await rm(home, { recursive: true, force: true });
  });

  const deep = `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
  const cases: { name: string; line: string; code: number; id: unknown; message: RegExp }[] = [
    { name: 'a garbage line', line: 'hello there', code: -32700, id: null, message: /Parse error/ },
    {
      name: 'cut-off JSON',
      line: '{"jsonrpc":"2.0","id":2,',
      code: -32700,
      id: null,
      message: /Parse error/,
    },
    {
      name: 'params that are a string',
      line: '{"jsonrpc":"2.0","id":3,"method":"ping","params":"x"}',
      code: -32600,
      id: 3,
      message: /"params" must be an object/,
    },
    {
      name: 'an object id',
      line: '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}',
      code: -32600,
      id: null,
      message: /"id" must be a string or an integer/,
    },
    {
      name: 'no method',
      line: '{"jsonrpc":"2.0","id":"four"}',
      code: -32600,
      id: 'four',
      message: /"method" is missing/,
    },
    {
      name: 'a notification with bad params',
      line: '{"jsonrpc":"2.0","method":"notifications/x","params":7}',
      code: -32600,
      id: null,
      message: /"params" must be an object/,
    },
    {
      name: 'a batch',
      line: '[{"jsonrpc":"2.0","id":5,"method":"ping"}]',
      code: -32600,
      id: null,
      message: /Batch/,
    },
    { name: 'a number', line: '42', code: -32600, id: null, message: /expected one JSON-RPC 2.0 message/ },
    { name: 'deep nesting', line: deep, code: -32600, id: null, message: /nested more than 64 levels/ },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with ${c.code}, then still serves`, async () => {
      const reply = await exchange(c.line);
      expect(reply).toMatchObject({ jsonrpc: '2.0', id: c.id, error: { code: c.code } });
      expect(reply?.error?.message).toMatch(c.message);
      const ping = await exchange('{"jsonrpc":"2.0","id":"after","method":"ping"}');
      expect(ping).toEqual({ jsonrpc: '2.0', id: 'after', result: {} });
    });
  }

  it('logs each refusal on stderr, not stdout', () => {
    expect(stderr).toMatch(/refused a stdin line/);
  });
});
