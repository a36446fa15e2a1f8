/**
 * The npm package as users get it: `npm pack` holds only what runs, publint finds nothing, and the
 * tarball installs into an empty folder with the registry unreachable (the bin bundles its
 * dependencies), then answers --version, --help and a real MCP client started with cwd "/".
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/spawn-bin.mjs';

const run = promisify(execFile);

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

describe('the npm package', () => {
  let work: string;
  let packed: PackResult;
  let installedBin: string;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: work,
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
    ...extra,
  });

  beforeAll(async () => {
    ensureBuilt();
    work = await mkdtemp(path.join(os.tmpdir(), 'tvm-package-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    packed = (JSON.parse(stdout) as PackResult[])[0] as PackResult;
    const app = path.join(work, 'app');
    await run('mkdir', ['-p', app]);
    await run('npm', ['init', '-y'], { cwd: app, env: env() });
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], {
      cwd: app,
      env: env(),
    });
    installedBin = path.join(app, 'node_modules', '.bin', 'together-video-mcp');
  }, 120_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('contains only what runs, and says how big it is', () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/THIRD_PARTY_LICENSES.txt',
      'dist/ajv.cjs',
      'dist/cli.js',
      'dist/demo.cjs',
      'dist/pg.cjs',
      'dist/player.cjs',
      'dist/server.cjs',
      'dist/undici.cjs',
      'package.json',
      'server.json',
    ]);
    process.stdout.write(
      `[figures] npm pack: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked\n`,
    );
    expect(packed.size).toBeLessThan(2 * 1024 * 1024);
  });

  it('passes publint', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'publint', 'src', 'cli.js')],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toMatch(/All good!/);
  });

  it('installed offline from the tarball, answers --version and --help', async () => {
    const version = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    const v = await run(installedBin, ['--version'], { cwd: '/', env: env() });
    expect(v.stdout.trim()).toBe(version);
    const help = await run(installedBin, ['--help'], { cwd: '/', env: env() });
    expect(help.stdout).toMatch(/--http/);
    expect(help.stdout).toMatch(/TOGETHER_API_KEY/);
  });

  it('serves a real MCP client started with cwd "/" and makes a sandbox video', async () => {
    const client = new Client({ name: 'package-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: installedBin,
        args: [],
        cwd: '/',
        env: env({ VIDEO_MCP_SANDBOX_JOB_SECONDS: '1', VIDEO_MCP_LOG_LEVEL: 'warn' }),
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(6);
      const created = (await client.callTool({
        name: 'create_video',
        arguments: { model: 'minimax/hailuo-02', prompt: 'from the tarball', wait_seconds: 30 },
      })) as CallToolResult;
      const job = created.structuredContent as { job_id: string; status: string; sandbox: boolean };
      expect(job).toMatchObject({ status: 'completed', sandbox: true });
      const saved = (await client.callTool({ name: 'download_video', arguments: { job_id: job.job_id } }))
        .structuredContent as { path: string; bytes: number };
      expect(saved.path.startsWith(path.join(work, 'Videos'))).toBe(true);
      expect(saved.bytes).toBeGreaterThan(1000);
    } finally {
      await client.close();
    }
  });
});
