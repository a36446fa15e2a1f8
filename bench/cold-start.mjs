// Cold start: from spawn to the tools/list answer over stdio, ours against a 10-line raw Node
// JSON-RPC responder (the floor any Node server pays), alternating, several rounds, medians.
// `ours` is a new process of a bin that has run before on this machine (its V8 code cache exists,
// as on any user's machine after the first start); `first_start_ms` is the very first start, with
// an empty cache folder. Also checks the answer: every tool is listed. Prints one JSON line.
// `--compare-tricks` also times, in the same rounds, the bin with VIDEO_MCP_NO_STARTUP_TRICKS=1
// (no code cache, undici loaded at start-up: src/bin/) and adds it as `no_tricks`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../test/helpers/spawn-bin.mjs';
import { timeToToolsList } from './lib/time-to-tools-list.mjs';

const ROUNDS = 15;
const compareTricks = process.argv.includes('--compare-tricks');

const RAW = `process.stdin.setEncoding('utf8'); let buf = '';
process.stdin.on('data', (d) => { buf += d; let i; while ((i = buf.indexOf('\\n')) >= 0) { const line = buf.slice(0, i); buf = buf.slice(i + 1);
  const m = JSON.parse(line); if (m.id === undefined) continue;
  const result = m.method === 'initialize' ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } }
    : m.method === 'tools/list' ? { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } : {};
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n'); } });
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-cold-'));
const raw = path.join(home, 'raw.mjs');
await writeFile(raw, RAW);
const env = {
  PATH: process.env.PATH,
  HOME: home,
  TOGETHER_API_KEY: 'cold-start-key',
  VIDEO_MCP_LOG_LEVEL: 'warn',
};
const noTricksEnv = { ...env, VIDEO_MCP_NO_STARTUP_TRICKS: '1' };
const ours = [];
const base = [];
const first = [];
const noTricks = [];
const noTricksFirst = [];
let tools = 0;
await timeToToolsList([raw], env); // warm the disk cache for both before timing
await timeToToolsList([BIN], env);
for (let i = 0; i < ROUNDS; i++) {
  base.push((await timeToToolsList([raw], env)).ms);
  const r = await timeToToolsList([BIN], env);
  ours.push(r.ms);
  tools = r.tools.length;
  if (compareTricks) noTricks.push((await timeToToolsList([BIN], noTricksEnv)).ms);
  if (i % 3 === 0) {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'tvm-cold-first-'));
    first.push((await timeToToolsList([BIN], { ...env, HOME: fresh })).ms);
    if (compareTricks) noTricksFirst.push((await timeToToolsList([BIN], { ...noTricksEnv, HOME: fresh })).ms);
    await rm(fresh, { recursive: true, force: true });
  }
}
await rm(home, { recursive: true, force: true });
const round = (n) => Math.round(n * 10) / 10;
const ratio = Math.round((median(ours) / median(base)) * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'cold-start',
    ours: { median_ms: round(median(ours)), first_start_ms: round(median(first)), tools },
    baseline: { median_ms: round(median(base)) },
    ...(compareTricks
      ? { no_tricks: { median_ms: round(median(noTricks)), first_start_ms: round(median(noTricksFirst)) } }
      : {}),
    ratio,
    target: { ratio_max: 1.8 },
    ok: tools === 5 && ratio <= 1.8,
  }),
);
