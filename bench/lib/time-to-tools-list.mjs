// Cold start as a client sees it: from spawn to the tools/list answer over stdio, with the 2025-era
// handshake (initialize, notifications/initialized, tools/list). Shared by cold-start.mjs and
// sdk-budget.mjs so both time the same thing.
import { spawn } from 'node:child_process';

/** A start that takes this long is broken, not slow: fail instead of hanging the bench run. */
const TIMEOUT_MS = 30_000;

const send = (child, message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

/** Spawns `node ...args`; resolves with the ms to the tools/list answer and the tools it lists. */
export function timeToToolsList(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let settled = false;
    let out = '';
    let err = '';
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      if (error) reject(new Error(`node ${args.join(' ')}: ${error}${err ? `\nstderr: ${err}` : ''}`));
      else resolve(value);
    };
    const timer = setTimeout(() => finish(`no tools/list answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    child.on('error', (e) => finish(e.message));
    // A child that dies early closes its stdin under our writes; 'exit' reports that, not EPIPE.
    child.stdin.on('error', () => {});
    child.on('exit', (code, signal) => finish(`exited (${code ?? signal}) before answering tools/list`));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      for (const line of out.split('\n').slice(0, -1)) {
        let m;
        try {
          m = JSON.parse(line);
        } catch {
          return finish(`wrote a line that is not JSON-RPC: ${line.slice(0, 200)}`);
        }
        if (m.error) return finish(`answered request ${m.id} with ${JSON.stringify(m.error)}`);
        if (m.id === 1) {
          send(child, { method: 'notifications/initialized' });
          send(child, { id: 2, method: 'tools/list' });
        }
        if (m.id === 2) return finish(undefined, { ms: performance.now() - started, tools: m.result.tools });
      }
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    send(child, {
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    });
  });
}
