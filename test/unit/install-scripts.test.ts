/**
 * A clean `npm ci` warns about nothing: every dependency with an install script is reviewed in
 * package.json's `allowScripts` (npm 11), and esbuild, which the build needs, is allowed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

const lock = read('package-lock.json') as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};
const pkg = read('package.json') as { allowScripts?: Record<string, boolean> };

describe('install scripts', () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([where, entry]) => ({ name: where.replace(/^.*node_modules\//, ''), version: entry.version }));

  it('every locked package with an install script has an allowScripts entry', () => {
    expect(withScripts.map((p) => p.name)).toContain('esbuild');
    for (const { name, version } of withScripts) {
      const entry = pkg.allowScripts?.[name] ?? pkg.allowScripts?.[`${name}@${version}`];
      expect(entry, `${name}@${version} is not in package.json allowScripts`).toBeTypeOf('boolean');
    }
    const esbuild = withScripts.find((p) => p.name === 'esbuild');
    expect(pkg.allowScripts?.esbuild ?? pkg.allowScripts?.[`esbuild@${esbuild?.version}`]).toBe(true);
  });

  const npmMajor = Number(execFileSync('npm', ['--version'], { encoding: 'utf8' }).split('.')[0]);
  it.skipIf(npmMajor < 11)('npm itself finds no unreviewed install script', () => {
    const out = execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ allowScripts: [] });
  });
});
