// Issue 12's budgets in one line, to run before and after the move to the v2 MCP SDK:
// - cold start (spawn to the tools/list answer, 2025-era handshake) of our built bin against a bare
//   v1 and a bare v2 SDK server with one tool, each bundled the way scripts/build.mjs bundles ours,
//   interleaved in the same rounds with the order rotating, medians. Budget: ours <= the faster bare.
// - each bundle's size in bytes;
// - tools/list bytes (tools-list-size.mjs; budget <= 8192) and the per-call overhead
//   (call-latency.mjs), run as child processes so each figure has one implementation.
// Every answer is checked: each server lists exactly its tools (ours: one per test/fixtures/toolsnaps
// file). Prints one JSON line. Needs a build (npm run build).
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { BIN, ROOT } from '../test/helpers/spawn-bin.mjs';
import { runBench } from './lib/run-bench.mjs';
import { timeToToolsList } from './lib/time-to-tools-list.mjs';

const ROUNDS = 15;
const WARM_UP_ROUNDS = 2;

// The smallest server each SDK line documents: one tool with a zod input schema, over stdio.
const TOOL = `{ description: 'Echoes the text back.', inputSchema: z.object({ text: z.string() }) },
  async ({ text }) => ({ content: [{ type: 'text', text }] })`;
const BARE_V1 = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare-v1', version: '1.0.0' });
server.registerTool('echo', ${TOOL});
void server.connect(new StdioServerTransport());
`;
// v2's documented shape: the factory builds the server; serveStdio pins one instance per connection.
const BARE_V2 = `import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'bare-v2', version: '1.0.0' });
  server.registerTool('echo', ${TOOL});
  return server;
});
`;

const tmp = await mkdtemp(path.join(os.tmpdir(), 'tvm-bench-sdk-'));

/** Bundles `source` as scripts/build.mjs bundles dist/server.cjs; returns the bundle's path and size. */
async function bundle(name, source) {
  const entry = path.join(tmp, `${name}.mjs`);
  const outfile = path.join(tmp, `${name}.cjs`);
  await writeFile(entry, source);
  await build({
    entryPoints: [entry],
    outfile,
    // The sources live outside the repo: resolve their imports from its node_modules.
    nodePaths: [path.join(ROOT, 'node_modules')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  return { file: outfile, bytes: (await stat(outfile)).size };
}

/**
 * Our bundle: every script the build writes to dist/. `bytes` counts what a server start loads, the
 * launcher and server.cjs; the others are loaded when first needed (undici.cjs by the first request
 * to Together, pg.cjs with a database, ajv.cjs if an SDK path asks, demo.cjs by the demo).
 */
const LOADED_AT_START = ['cli.js', 'server.cjs'];
async function ourBundle() {
  const dist = path.dirname(BIN);
  const files = {};
  for (const f of (await readdir(dist)).filter((f) => /\.(c|m)?js$/.test(f)).sort()) {
    files[f] = (await stat(path.join(dist, f))).size;
  }
  const loaded = Object.entries(files).filter(([f]) => LOADED_AT_START.includes(f));
  return { bytes: loaded.reduce((a, [, b]) => a + b, 0), files };
}

const expectedTools = (await readdir(path.join(ROOT, 'test', 'fixtures', 'toolsnaps')))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const [bareV1, bareV2] = [await bundle('bare-v1', BARE_V1), await bundle('bare-v2', BARE_V2)];
const servers = [
  { name: 'ours', args: [BIN], tools: expectedTools, ms: [] },
  { name: 'bare_v1', args: [bareV1.file], tools: ['echo'], ms: [] },
  { name: 'bare_v2', args: [bareV2.file], tools: ['echo'], ms: [] },
];

const home = path.join(tmp, 'home');
const env = {
  PATH: process.env.PATH,
  HOME: home,
  TOGETHER_API_KEY: 'sdk-budget-key',
  VIDEO_MCP_LOG_LEVEL: 'warn',
};
/** Server name -> the tools it listed, for any server whose list was not the expected one. */
const mismatches = {};
// Warm-up rounds first (disk cache, and our bin's code cache in HOME, as on a user's machine after
// the first start); then each round starts at the next server so none always goes first.
for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
  for (let k = 0; k < servers.length; k++) {
    const server = servers[(round + WARM_UP_ROUNDS + k) % servers.length];
    const { ms, tools } = await timeToToolsList(server.args, env);
    const listed = tools.map((t) => t.name).sort();
    if (listed.join() !== server.tools.join()) mismatches[server.name] = listed;
    if (round >= 0) server.ms.push(ms);
  }
}

// The figures measured elsewhere, after the timing so they cannot disturb it.
const child = (file) => {
  const { status, result } = runBench(path.join(import.meta.dirname, file));
  if (status !== 0 || !result)
    throw new Error(`bench/${file} failed (exit ${status}) or printed no JSON line`);
  return result;
};
const toolsList = child('tools-list-size.mjs');
const latency = child('call-latency.mjs');
const ours = await ourBundle();
await rm(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (n) => Math.round(n * 10) / 10;
const round2 = (n) => Math.round(n * 100) / 100;
const [oursMs, v1Ms, v2Ms] = servers.map((s) => median(s.ms));
const ratioVsFastestBare = round2(oursMs / Math.min(v1Ms, v2Ms));
const ratioVsBareV1 = round2(oursMs / v1Ms);
const toolsListBytes = toolsList.ours.bytes;
console.log(
  JSON.stringify({
    bench: 'sdk-budget',
    ours: {
      cold_start_median_ms: round1(oursMs),
      bundle_bytes: ours.bytes,
      bundle_files: ours.files,
      tools_listed: expectedTools.length,
      tools_list_bytes: toolsListBytes,
      call_overhead: latency.ours,
    },
    baseline: {
      bare_v1: { cold_start_median_ms: round1(v1Ms), bundle_bytes: bareV1.bytes },
      bare_v2: { cold_start_median_ms: round1(v2Ms), bundle_bytes: bareV2.bytes },
      direct_call: latency.baseline,
    },
    rounds: ROUNDS,
    ratio: ratioVsFastestBare,
    ratio_vs_fastest_bare: ratioVsFastestBare,
    ratio_vs_bare_v1: ratioVsBareV1,
    ratio_vs_bare_v2: round2(oursMs / v2Ms),
    // What the other two benches concluded against their own targets (not part of this one's budget).
    children_ok: { 'tools-list-size': toolsList.ok, 'call-latency': latency.ok },
    mismatches,
    target: { ratio_vs_fastest_bare_max: 1.0, tools_list_bytes_max: 8192 },
    ok: Object.keys(mismatches).length === 0 && ratioVsFastestBare <= 1.0 && toolsListBytes <= 8192,
  }),
);
