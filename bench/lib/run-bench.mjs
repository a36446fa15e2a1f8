// One benchmark of this folder as a child process (they measure time and memory, so one at a time):
// shared by run.mjs and by the benches that report another's figures instead of measuring them twice.
import { spawnSync } from 'node:child_process';

/** Runs `file`, stderr passed through; `result` is its last stdout line parsed, or undefined. */
export function runBench(file, env = process.env) {
  const run = spawnSync(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env,
  });
  let result;
  try {
    result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
  } catch {}
  return { status: run.status, stdout: run.stdout, result };
}
