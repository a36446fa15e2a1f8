// `npm run sync-docs`: rewrites README's configuration table and server.json's environmentVariables
// from the variable table in src/env-vars.ts. test/unit/readme.test.ts and server-json.test.ts fail
// until this has run after a change to the table.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'tvm-sync-docs-'));
await build({
  entryPoints: ['scripts/env-docs.ts'],
  outfile: path.join(scratch, 'env-docs.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { withReadmeTable, serverJsonVariables } = require(path.join(scratch, 'env-docs.cjs'));
await rm(scratch, { recursive: true, force: true });

const readme = await readFile('README.md', 'utf8');
const nextReadme = withReadmeTable(readme);
if (nextReadme !== readme) {
  await writeFile('README.md', nextReadme);
  process.stderr.write('README.md: configuration table rewritten\n');
}

const serverText = await readFile('server.json', 'utf8');
const server = JSON.parse(serverText);
server.packages[0].environmentVariables = serverJsonVariables();
await writeFile('server.json', `${JSON.stringify(server, null, 2)}\n`);
// The project's formatter decides the layout, so `biome check` stays clean.
execFileSync(
  process.execPath,
  [require.resolve('@biomejs/biome/bin/biome'), 'format', '--write', 'server.json'],
  {
    stdio: 'ignore',
  },
);
if ((await readFile('server.json', 'utf8')) !== serverText) {
  process.stderr.write('server.json: environmentVariables rewritten\n');
}
