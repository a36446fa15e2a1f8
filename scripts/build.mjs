// Builds the bin as two files: dist/server.cjs, the whole server bundled (one file to read instead
// of hundreds of modules), and dist/cli.js, a small launcher that loads it through a V8 code cache.
// CommonJS because only classic scripts can be compiled with a code cache on Node 20.
// The bundle carries its dependencies, so the package installs with no others (and offline); their
// licences go beside it in dist/THIRD_PARTY_LICENSES.txt.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { buildPlayer } from './player-html.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
};

// Each tool's tools/list entry, computed once here instead of at every start-up (see src/tools/tool-list.ts).
const scratch = await mkdtemp(path.join(os.tmpdir(), 'tvm-build-'));
await build({
  ...common,
  entryPoints: ['scripts/print-tool-definitions.ts'],
  outfile: path.join(scratch, 'print.cjs'),
  format: 'cjs',
});
const toolDefinitionsJson = execFileSync(process.execPath, [path.join(scratch, 'print.cjs')], {
  encoding: 'utf8',
});

// The model count in package.json's and server.json's descriptions comes from the registry, so it
// cannot go stale; the files are rewritten only when the number differs (text edit, layout kept).
await build({
  ...common,
  entryPoints: ['src/models/catalog/index.ts'],
  outfile: path.join(scratch, 'catalog.cjs'),
  format: 'cjs',
});
const modelCount = createRequire(import.meta.url)(path.join(scratch, 'catalog.cjs')).CATALOG.length;
await rm(scratch, { recursive: true, force: true });
for (const file of ['package.json', 'server.json']) {
  const text = await readFile(file, 'utf8');
  const { description } = JSON.parse(text);
  const counted = description.replace(/\b\d+\+?(?= (?:video )?models\b)/, String(modelCount));
  if (counted === description) continue;
  const next = text.replace(JSON.stringify(description), JSON.stringify(counted));
  if (next === text) throw new Error(`${file}: could not rewrite the model count in its description`);
  await writeFile(file, next);
  process.stderr.write(`${file}: description now says ${modelCount} models\n`);
}

// The demo is an MCP client: the v2 client package shares no code with the server package, so it
// gets a bundle of its own (dist/demo.cjs), loaded only by `together-video-mcp demo`, and every
// server start reads half a megabyte less.
const demoApart = {
  name: 'demo-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/demo\.js$/ }, () => ({ path: './demo.cjs', external: true }));
  },
};
// undici (a third of the server's bytes) is first needed by the first request to Together, so it is
// a file of its own too: a start reads and deserialises ~730 KB less (bench/sdk-budget.mjs).
const undiciApart = {
  name: 'undici-apart',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.cjs', external: true }));
  },
};
// pg (node-postgres) is needed only with VIDEO_MCP_DATABASE_URL (src/jobs/pg-store.ts imports it when
// it opens the store), so it is a file of its own: a start with the file ledger never reads it.
const pgApart = {
  name: 'pg-apart',
  setup(b) {
    b.onResolve({ filter: /^pg$/ }, () => ({ path: './pg.cjs', external: true }));
  },
};
// The MCP Apps player page (src/ui/player-page.ts) is read only when a client reads the page, so it is
// a file of its own (dist/player.cjs): a start never reads its bytes.
const playerApart = {
  name: 'player-apart',
  setup(b) {
    b.onResolve({ filter: /\/ui\/player-page\.js$/ }, () => ({ path: './player.cjs', external: true }));
  },
};
// Two parts of the dependencies a start never uses are swapped out of dist/server.cjs (see each
// stand-in in scripts/bundle/): AJV, which moves to dist/ajv.cjs, loaded if ever needed, and zod's
// other languages. 1.48 MB -> 0.96 MB; cold start to tools/list 3-6 ms (3-6%) faster, built both
// ways and timed side by side (bench/lib/time-to-tools-list.mjs, 21 rounds).
const leaner = {
  name: 'leaner',
  setup(b) {
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: path.resolve('scripts/bundle/sdk-shims.ts'),
    }));
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: path.resolve('scripts/bundle/no-locales.ts') }
        : undefined,
    );
  },
};
// Whitespace and syntax only: half the bytes to read and parse, stack traces keep their names.
const minify = { minifyWhitespace: true, minifySyntax: true };
const server = await build({
  ...common,
  ...minify,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/server.cjs',
  format: 'cjs',
  metafile: true,
  plugins: [demoApart, undiciApart, pgApart, playerApart, leaner],
  // The launcher runs this bundle as a classic script (src/bin/), which has no import(): the demo's
  // external import becomes a require.
  supported: { 'dynamic-import': false },
  define: { TOOL_DEFINITIONS_JSON: JSON.stringify(toolDefinitionsJson) },
});
const undici = await build({
  ...common,
  ...minify,
  stdin: { contents: "module.exports = require('undici');", resolveDir: process.cwd() },
  outfile: 'dist/undici.cjs',
  format: 'cjs',
  metafile: true,
});
const pg = await build({
  ...common,
  ...minify,
  stdin: { contents: "module.exports = require('pg');", resolveDir: process.cwd() },
  outfile: 'dist/pg.cjs',
  format: 'cjs',
  metafile: true,
  // pg's optional native binding (pg.native) and its Cloudflare Workers socket: never loaded on Node
  // unless asked for, and not installed with this package.
  external: ['pg-native', 'pg-cloudflare'],
});
const ajv = await build({
  ...common,
  ...minify,
  stdin: {
    contents: "module.exports = require('@modelcontextprotocol/server/validators/ajv');",
    resolveDir: process.cwd(),
  },
  outfile: 'dist/ajv.cjs',
  format: 'cjs',
  metafile: true,
});
// The player page: src/ui/ bundled into one self-contained HTML string (scripts/player-html.mjs).
const { html: playerHtml, inputs: playerInputs } = await buildPlayer();
process.stderr.write(
  `dist/player.cjs: the player page, ${Buffer.byteLength(playerHtml)} bytes (self-contained)\n`,
);
await build({
  ...common,
  entryPoints: ['src/ui/player-page.ts'],
  outfile: 'dist/player.cjs',
  format: 'cjs',
  define: { PLAYER_HTML: JSON.stringify(playerHtml) },
});
const demo = await build({
  ...common,
  ...minify,
  entryPoints: ['src/demo.ts'],
  outfile: 'dist/demo.cjs',
  format: 'cjs',
  metafile: true,
});
await build({
  ...common,
  entryPoints: ['src/bin/launch.ts'],
  outfile: 'dist/cli.js',
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
});
await chmod('dist/cli.js', 0o755);

/** The package folders (node_modules/x or node_modules/@s/x) that went into the bundle. */
const packageDirs = new Set();
const bundled = [server, undici, pg, ajv, demo].flatMap((b) => Object.keys(b.metafile.inputs));
for (const input of [...bundled, ...playerInputs]) {
  const m = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packageDirs.add(m[1]);
}
// The v2 SDK ships AJV and its helpers inlined in its own files (dist/ajvProvider-*.mjs), so the
// metafile names only the SDK; their licences come from the copies installed beside it (ajv is a
// dev dependency of ours too).
for (const name of ['ajv', 'ajv-formats', 'fast-deep-equal', 'fast-uri', 'json-schema-traverse']) {
  packageDirs.add(path.join('node_modules', name));
}
const sections = [];
for (const dir of [...packageDirs].sort()) {
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  const licenceFile = (await readdir(dir)).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  const text = licenceFile ? await readFile(path.join(dir, licenceFile), 'utf8') : `License: ${pkg.license}`;
  sections.push(`${pkg.name} ${pkg.version} (${pkg.license})\n\n${text.trim()}\n`);
}
await writeFile(
  'dist/THIRD_PARTY_LICENSES.txt',
  `dist/server.cjs, dist/undici.cjs, dist/pg.cjs, dist/ajv.cjs, dist/demo.cjs and the player page in dist/player.cjs bundle the following packages.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
