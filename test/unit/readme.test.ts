/**
 * README.md stays usable: every JSON block parses, every client config block starts this server
 * (or reaches it over HTTP), and every environment variable the server reads is documented, in the
 * configuration table made from the variable table.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_TABLE_END, README_TABLE_START, readmeTable } from '../../scripts/env-docs.js';
import { ENV_VARS } from '../../src/config.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('README', () => {
  it('has JSON blocks that all parse', () => {
    expect(jsonBlocks.length).toBeGreaterThan(5);
    for (const block of jsonBlocks) expect(() => JSON.parse(block), block.slice(0, 80)).not.toThrow();
  });

  it('gives client configs that start this package or reach its HTTP endpoint', () => {
    type Entry = { command?: string; args?: string[]; url?: string };
    const configs = jsonBlocks
      .map((b) => JSON.parse(b) as { mcpServers?: Record<string, Entry>; servers?: Record<string, Entry> })
      .flatMap((c) => Object.values(c.mcpServers ?? c.servers ?? {}));
    expect(configs.length).toBeGreaterThanOrEqual(4);
    for (const entry of configs) {
      const starts = entry.command === 'npx' && entry.args?.includes('together-video-mcp');
      const remote = typeof entry.url === 'string' && entry.url.endsWith('/mcp');
      expect(starts || remote, JSON.stringify(entry)).toBe(true);
    }
  });

  it('documents every environment variable', () => {
    for (const name of Object.keys(ENV_VARS)) expect(readme, name).toContain(name);
  });

  it('has the configuration table src/env-vars.ts gives (run `npm run sync-docs` after changing it)', () => {
    const start = readme.indexOf(README_TABLE_START);
    const end = readme.indexOf(README_TABLE_END);
    expect(start, 'the table start marker').toBeGreaterThan(-1);
    expect(end, 'the table end marker').toBeGreaterThan(start);
    expect(readme.slice(start + README_TABLE_START.length, end).trim()).toBe(readmeTable());
  });
});
