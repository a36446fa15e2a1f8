/** The built bin, started the way MCP clients start it (cwd "/", a minimal env) and connected over stdio. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'dist', 'cli.js');

/** Builds the bin if a test runs before `npm run build` did. */
export function ensureBuilt(): void {
  if (!existsSync(BIN))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
}

export interface SpawnedBin {
  client: Client;
  pid: number;
  stderr(): string;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function spawnBin(env: Record<string, string>): Promise<SpawnedBin> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    pid: transport.pid ?? 0,
    stderr: () => err,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

export interface SpawnedHttpBin {
  url: string;
  pid: number;
  stderr(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The bin serving Streamable HTTP on a free port; resolves once it logs where it listens. */
export async function spawnHttpBin(
  env: Record<string, string>,
  args: string[] = [],
): Promise<SpawnedHttpBin> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0', ...args], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /"msg":"listening".*?"url":"([^"]+)"/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`the bin exited (${code}) before listening:\n${err}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
