/**
 * server.json, the MCP registry entry, kept true: valid against the registry's own schema (the
 * 2025-12-11 schema, copied into test/fixtures), same name and version as package.json, the npm
 * package over stdio, every environment variable the server reads (secrets marked, texts and defaults as
 * src/env-vars.ts gives them), the rules the
 * schema leaves to the registry (pinned version, input formats), and the registry's model count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { serverJsonVariables } from '../../scripts/env-docs.js';
import { ENV_VARS } from '../../src/config.js';
import { listModels } from '../../src/models/lookup.js';

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
const pkg = read('package.json') as { name: string; version: string; mcpName: string; description: string };

describe('server.json', () => {
  it("is valid against the MCP registry's schema", () => {
    const schema = read('test/fixtures/server.schema.json') as { $schema: string; $id: string };
    expect(schema.$id).toBe(server.$schema);
    // The schema is draft-07, the draft the default Ajv class implements.
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ allErrors: true });
    // Strict mode stays on; `example` is the one annotation keyword the schema uses that draft-07 lacks.
    ajv.addKeyword('example');
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(server), ajv.errorsText(validate.errors)).toBe(true);
    // The check can fail: a description over the registry's 100 characters is refused.
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
  });

  it("states the registry's model count, as package.json does (scripts/build.mjs keeps both)", () => {
    const count = (description: string): number | undefined => {
      const m = /\b(\d+)\+? (?:video )?models\b/.exec(description);
      return m ? Number(m[1]) : undefined;
    };
    expect(count(server.description), server.description).toBe(listModels().length);
    expect(count(pkg.description), pkg.description).toBe(listModels().length);
  });

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

  it('follows the registry rules its schema does not state', () => {
    // The schema allows any version string and leaves descriptions optional; semver sorts, and clients show descriptions.
    expect(server.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const input of server.packages[0]?.environmentVariables ?? []) {
      expect(input.description, input.name).toBeTruthy();
    }
  });

  it('lists every environment variable the server reads, with the secrets marked', () => {
    const listed = server.packages[0]?.environmentVariables ?? [];
    expect(listed.map((e) => e.name).sort()).toEqual(Object.keys(ENV_VARS).sort());
    const secrets = listed.filter((e) => e.isSecret).map((e) => e.name);
    expect(secrets.sort()).toEqual(['TOGETHER_API_KEY', 'VIDEO_MCP_DATABASE_URL', 'VIDEO_MCP_HTTP_TOKEN']);
    expect(listed.every((e) => e.isRequired === false)).toBe(true);
  });

  it('lists them as src/env-vars.ts describes them (run `npm run sync-docs` after changing it)', () => {
    expect(server.packages[0]?.environmentVariables).toEqual(serverJsonVariables());
  });
});
