import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_API_URL, loadConfig, secretsOf } from '../../src/config.js';
import { type AnyEnvVar, describeVar, ENV_VARS, shownDefault } from '../../src/env-vars.js';
import { helpText } from '../../src/help.js';

const HOME = '/home/alice';

describe('loadConfig', () => {
  it('runs in sandbox mode with its own emulator when no API key is set', () => {
    const config = loadConfig({}, {}, HOME);
    expect(config.sandbox).toBe(true);
    expect(config.startEmulator).toBe(true);
    expect(config.apiKey).toBeUndefined();
    expect(config.apiUrl).toBe(DEFAULT_API_URL);
  });

  it('uses the real API with a key, and absolute default dirs that never depend on the cwd', () => {
    const config = loadConfig({ TOGETHER_API_KEY: 'tk-123456' }, {}, HOME);
    expect(config.sandbox).toBe(false);
    expect(config.startEmulator).toBe(false);
    expect(config.apiKey).toBe('tk-123456');
    expect(path.isAbsolute(config.outputDir)).toBe(true);
    expect(config.outputDir.startsWith(HOME)).toBe(true);
    expect(path.isAbsolute(config.stateDir)).toBe(true);
  });

  it('treats empty strings (how client configs spell unset) as unset', () => {
    const config = loadConfig({ TOGETHER_API_KEY: '  ', VIDEO_MCP_OUTPUT_DIR: '' }, {}, HOME);
    expect(config.sandbox).toBe(true);
    expect(config.outputDir).toBe(path.join(HOME, 'Videos', 'together-video-mcp'));
  });

  it('--sandbox or VIDEO_MCP_SANDBOX wins over a key, and never sends the key anywhere', () => {
    for (const config of [
      loadConfig({ TOGETHER_API_KEY: 'tk-123456' }, { sandbox: true }, HOME),
      loadConfig({ TOGETHER_API_KEY: 'tk-123456', VIDEO_MCP_SANDBOX: 'true' }, {}, HOME),
    ]) {
      expect(config.sandbox).toBe(true);
      expect(config.apiKey).toBeUndefined();
    }
  });

  it('uses an external emulator in sandbox mode when VIDEO_MCP_API_URL is set', () => {
    const config = loadConfig({ VIDEO_MCP_API_URL: 'http://127.0.0.1:4010/' }, {}, HOME);
    expect(config.sandbox).toBe(true);
    expect(config.startEmulator).toBe(false);
    expect(config.apiUrl).toBe('http://127.0.0.1:4010');
  });

  it('expands ~ and lets the CLI override the environment', () => {
    const config = loadConfig(
      { VIDEO_MCP_OUTPUT_DIR: '~/clips' },
      { outputDir: '/srv/videos', logLevel: 'debug' },
      HOME,
    );
    expect(config.outputDir).toBe('/srv/videos');
    expect(config.logLevel).toBe('debug');
    expect(loadConfig({ VIDEO_MCP_OUTPUT_DIR: '~/clips' }, {}, HOME).outputDir).toBe('/home/alice/clips');
  });

  it('refuses a relative output dir, a bad URL and a bad flag, naming the variable', () => {
    expect(() => loadConfig({ VIDEO_MCP_OUTPUT_DIR: 'videos' }, {}, HOME)).toThrow(
      /VIDEO_MCP_OUTPUT_DIR: must be an absolute path/,
    );
    expect(() => loadConfig({ VIDEO_MCP_API_URL: 'api.together.ai' }, {}, HOME)).toThrow(/VIDEO_MCP_API_URL/);
    expect(() => loadConfig({ VIDEO_MCP_SANDBOX: 'maybe' }, {}, HOME)).toThrow(ConfigError);
    expect(() => loadConfig({ VIDEO_MCP_LOG_LEVEL: 'loud' }, {}, HOME)).toThrow(/VIDEO_MCP_LOG_LEVEL/);
  });

  it('lists the key and every HTTP token as secrets', () => {
    const env = {
      TOGETHER_API_KEY: 'tk-abcdef',
      VIDEO_MCP_HTTP_TOKEN: 'http-token-0001-aaaa, http-token-0002-bbbb',
    };
    const config = loadConfig(env, {}, HOME);
    expect(config.http.tokens).toEqual(['http-token-0001-aaaa', 'http-token-0002-bbbb']);
    expect(secretsOf(config, env)).toEqual(
      expect.arrayContaining(['tk-abcdef', 'http-token-0001-aaaa', 'http-token-0002-bbbb']),
    );
  });

  it('takes a database URL from the variable or the flag, and keeps its password out of logs', () => {
    const env = { VIDEO_MCP_DATABASE_URL: 'postgres://video:s3cr%40t@db.internal:5432/jobs' };
    expect(loadConfig(env, {}, HOME).databaseUrl).toBe(env.VIDEO_MCP_DATABASE_URL);
    const flagged = loadConfig(env, { databaseUrl: 'postgresql://other:pw-flag@h/db' }, HOME);
    expect(flagged.databaseUrl).toBe('postgresql://other:pw-flag@h/db');
    expect(secretsOf(flagged, env)).toEqual(expect.arrayContaining(['pw-flag', 's3cr%40t', 's3cr@t']));
    expect(loadConfig({}, {}, HOME).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ VIDEO_MCP_DATABASE_URL: 'mysql://x@h/db' }, {}, HOME)).toThrow(
      /VIDEO_MCP_DATABASE_URL: must be a PostgreSQL URL: postgres:\/\/user:password@host:5432\/database/,
    );
  });

  it('refuses a short HTTP token and a malformed origin, saying what is expected', () => {
    expect(() => loadConfig({ VIDEO_MCP_HTTP_TOKEN: 'short' }, {}, HOME)).toThrow(
      /VIDEO_MCP_HTTP_TOKEN: each token must be at least 16 characters/,
    );
    expect(() => loadConfig({ VIDEO_MCP_HTTP_ALLOWED_ORIGINS: 'example.com' }, {}, HOME)).toThrow(
      /VIDEO_MCP_HTTP_ALLOWED_ORIGINS: must be origins/,
    );
  });

  it('gives the HTTP transport safe defaults', () => {
    const { http } = loadConfig({}, {}, HOME);
    expect(http).toMatchObject({ tokens: [], maxSessions: 500, createsPerMinute: 10 });
    expect(http.maxBodyBytes).toBe(16 * 1024 * 1024);
  });
});

describe('the variable table', () => {
  const vars = Object.entries(ENV_VARS) as [string, AnyEnvVar][];

  it('refuses text that is not of the format server.json announces, naming the variable', () => {
    const bad = { number: 'twelve', boolean: 'maybe', filepath: 'relative/dir' } as const;
    let checked = 0;
    for (const [name, { format }] of vars) {
      if (format === 'string') continue;
      expect(() => loadConfig({ [name]: bad[format] }, {}, HOME), name).toThrow(
        new RegExp(`^Invalid configuration:\n${name}: `),
      );
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('is what --help shows: every variable, its default and its whole text, in lines of at most 100 columns', () => {
    const help = helpText();
    const flat = help.replace(/\s+/g, ' ');
    for (const [name, spec] of vars) {
      expect(help, name).toContain(`  ${name}\n`);
      expect(flat, name).toContain(describeVar(spec));
      const shown = shownDefault(spec);
      if (shown !== '—') expect(flat, name).toContain(`${describeVar(spec)} Default: ${shown}.`);
      if (spec.flag) expect(help).toContain(`  ${spec.flag.padEnd(18)} overrides ${name}`);
    }
    const environment = help.slice(help.indexOf('Environment'));
    for (const line of environment.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
