/**
 * Which local files the built bin reads for a caller: over stdio the output folder and home by
 * default; over --http none unless VIDEO_MCP_INPUT_DIRS names them, since the caller is elsewhere.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/harness.js';
import { PNG, withFrame } from '../helpers/inputs.js';
import { ensureBuilt, spawnBin, spawnHttpBin } from '../helpers/spawn-bin.mjs';

describe('default input folders of the built bin', () => {
  let home: string;
  let frame: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-home-in-'));
    frame = path.join(home, 'frame.png');
    await writeFile(frame, PNG);
    env = {
      HOME: home,
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'out'),
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
    };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  async function overHttp(extra: Record<string, string>): Promise<CallToolResult> {
    const server = await spawnHttpBin({ ...env, ...extra });
    const client = new Client({ name: 'e2e-http', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      return (await client.callTool({ name: 'create_video', arguments: withFrame(frame) })) as CallToolResult;
    } finally {
      await client.close();
      await server.stop();
    }
  }

  it('reads a file in home over stdio', async () => {
    const bin = await spawnBin(env);
    try {
      const result = (await bin.client.callTool({
        name: 'create_video',
        arguments: withFrame(frame),
      })) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
    } finally {
      await bin.close();
    }
  });

  it('reads none over HTTP unless VIDEO_MCP_INPUT_DIRS is set', async () => {
    const refused = await overHttp({});
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      `${frame} is not a file this server may read. Over HTTP only files inside the folders set in VIDEO_MCP_INPUT_DIRS are read (none are set on this server)`,
    );
    const allowed = await overHttp({ VIDEO_MCP_INPUT_DIRS: home });
    expect(allowed.isError, textOf(allowed)).toBeFalsy();
  });
});
