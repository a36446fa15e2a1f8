// `npm run bench`: runs every benchmark in this folder, one after another (they measure time and
// memory, so never in parallel). Each prints one JSON line; this exits non-zero if any is not ok.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench } from './lib/run-bench.mjs';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
let failed = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const { status, stdout, result } = runBench(path.join(dir, file));
  process.stdout.write(stdout);
  if (status !== 0 || result?.ok !== true) failed += 1;
}
process.exit(failed ? 1 : 0);
