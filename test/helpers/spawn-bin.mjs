// The built bin as a child process, started the way MCP clients start it (cwd "/", PATH plus the given
// env): the one implementation of spawning, waiting for readiness, stderr capture and stopping, shared
// by the tests (typed by spawn-bin.d.mts) and the benchmarks (plain node, after `npm run build`).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'dist', 'cli.js');

const envFor = (env) => ({ PATH: process.env.PATH ?? '', ...env });

/** Builds the bin if a test runs before `npm run build` did. */
export function ensureBuilt() {
  if (!existsSync(BIN))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
}

/** The bin over stdio, connected to the SDK's Client (with `clientOptions`); its stderr is kept for the caller to read. */
export async function spawnBin(env, clientOptions) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    cwd: '/',
    env: envFor(env),
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk) => {
    err += chunk.toString();
  });
  const client = new Client({ name: 'spawn-bin', version: '1.0.0' }, clientOptions);
  await client.connect(transport);
  return {
    client,
    pid: transport.pid ?? 0,
    stderr: () => err,
    call: (name, args) => client.callTool({ name, arguments: args }),
    close: () => client.close(),
  };
}

/** Starts `dist/cli.js ...args`; resolves once stdout or stderr matches `readyLine` (group 1: the URL). */
function listeningBin(args, env, readyLine) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: '/',
    env: envFor(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const running = {
    url: '',
    pid: child.pid ?? 0,
    stderr: () => err,
    stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
  const isReady = () => {
    running.url ||= (readyLine.exec(out) ?? readyLine.exec(err))?.[1] ?? '';
    return running.url !== '';
  };
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      if (isReady()) resolve(running);
    });
    child.stderr.on('data', (chunk) => {
      err += chunk.toString();
      if (isReady()) resolve(running);
    });
    void exited.then((code) =>
      reject(new Error(`cli.js ${args.join(' ')} exited (${code}) before it was ready:\n${err}`)),
    );
  });
}

/** The bin serving Streamable HTTP on a free port; resolves once it logs where it listens. */
export function spawnHttpBin(env, args = []) {
  return listeningBin(['--http', '--port', '0', ...args], env, /"msg":"listening".*?"url":"([^"]+)"/);
}

/** The standalone emulator (`together-video-mcp emulator`) accepting `apiKey`; resolves with its URL. */
export function spawnEmulatorBin(apiKey, args = []) {
  return listeningBin(['emulator', '--api-key', apiKey, ...args], {}, /VIDEO_MCP_API_URL=(\S+)/);
}
