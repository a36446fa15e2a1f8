// Child processes the benchmarks drive: the emulator and the server bin, each started from dist/.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
export const KEY = 'bench-key-123456';

/** Starts `dist/cli.js args...` and resolves once its output matches `pattern` (group 1 is the URL). */
export function startBin(args, env, pattern) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve({ child, url: m[1], stop: () => child.kill('SIGTERM') });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${args[0] ?? 'bin'} exited (${code}) before it was ready:\n${out}`)),
    );
  });
}

/** The standalone emulator (`together-video-mcp emulator`), accepting KEY. */
export function startEmulator(args = []) {
  return startBin(['emulator', '--api-key', KEY, ...args], {}, /VIDEO_MCP_API_URL=(\S+)/);
}

/** An SDK client connected over stdio to the bin, started with PATH plus `env`; its logs are dropped. */
export async function connectBin(env) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: { PATH: process.env.PATH, VIDEO_MCP_LOG_LEVEL: 'warn', ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return { client, pid: transport.pid };
}
