/** The built bin's command line: a mistyped option is refused with a pointer to --help, exit code 2. */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../helpers/spawn-bin.mjs';

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the bin refuses options it does not know', () => {
  beforeAll(() => ensureBuilt());

  it('names the unknown option and points to --help (exit 2, nothing on stdout)', () => {
    const out = run(['--verbose']);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      'together-video-mcp: Unknown option --verbose. Run together-video-mcp --help for the options.\n',
    );
  });

  it('points to --help for an option missing its value', () => {
    const out = run(['--port']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--port.*Run together-video-mcp --help for the options\.\n$/);
  });
});
