/**
 * server.json, the MCP registry entry, kept true: same name and version as package.json, the npm
 * package over stdio, every environment variable the server reads (secrets marked), and the
 * registry's field rules (name pattern, description length, pinned version, input formats).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

interface EnvInput {
  name: string;
  description?: string;
  format?: string;
  isSecret?: boolean;
  isRequired?: boolean;
}
const server = read('server.json') as {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: {
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: EnvInput[];
  }[];
};
const pkg = read('package.json') as { name: string; version: string; mcpName: string };

describe('server.json', () => {
  it('pins the registry schema and matches package.json', () => {
    expect(server.$schema).toBe(
      'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    );
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.packages).toHaveLength(1);
    expect(server.packages[0]).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
  });

  it('follows the registry field rules', () => {
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(server.packages[0]?.version).not.toBe('latest');
    for (const input of server.packages[0]?.environmentVariables ?? []) {
      expect(['string', 'number', 'boolean', 'filepath']).toContain(input.format);
      expect(input.description, input.name).toBeTruthy();
    }
  });

  it('lists every environment variable the server reads, with the secrets marked', () => {
    const listed = server.packages[0]?.environmentVariables ?? [];
    expect(listed.map((e) => e.name).sort()).toEqual(ENV_VARS.map(([name]) => name).sort());
    const secrets = listed.filter((e) => e.isSecret).map((e) => e.name);
    expect(secrets.sort()).toEqual(['TOGETHER_API_KEY', 'VIDEO_MCP_HTTP_TOKEN']);
    expect(listed.every((e) => e.isRequired === false)).toBe(true);
  });
});
