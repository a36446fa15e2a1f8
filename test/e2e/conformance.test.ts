/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) against the bin's
 * Streamable HTTP endpoint: the scenarios that apply to a server with our capabilities.
 * (The suite's other scenarios call test-only tools such as `test_image_content` that only its
 * reference server has.)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, type ListeningBin, ROOT, spawnHttpBin } from '../helpers/spawn-bin.mjs';

const run = promisify(execFile);
const SUITE = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

describe('MCP conformance suite over --http', () => {
  let home: string;
  let bin: ListeningBin;

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-conformance-'));
    bin = await spawnHttpBin({ HOME: home });
  });
  afterAll(async () => {
    await bin.stop();
    await rm(home, { recursive: true, force: true });
  });

  it.each(['server-initialize', 'tools-list', 'ping', 'dns-rebinding-protection'])(
    'passes %s',
    async (scenario) => {
      // The suite probes with Host: localhost, the name clients use.
      const url = bin.url.replace('127.0.0.1', 'localhost');
      const { stdout } = await run(
        process.execPath,
        [SUITE, 'server', '--url', url, '--scenario', scenario],
        {
          cwd: home,
          timeout: 60_000,
        },
      );
      const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(stdout);
      expect(summary, stdout).not.toBeNull();
      expect(Number(summary?.[1])).toBeGreaterThan(0);
      expect(summary?.[1]).toBe(summary?.[2]);
      expect(summary?.[3]).toBe('0');
    },
  );
});
