// `npm run bench`: runs every benchmark in this folder, one after another (they measure time and
// memory, so never in parallel). Each prints one JSON line; this exits non-zero if any is not ok.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
let failed = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const run = spawnSync(process.execPath, [path.join(dir, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let ok = false;
  try {
    ok = JSON.parse(last).ok === true;
  } catch {}
  if (run.status !== 0 || !ok) failed += 1;
}
process.exit(failed ? 1 : 0);
