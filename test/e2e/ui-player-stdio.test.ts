/**
 * The MCP Apps player from the built bin over stdio, in the sandbox (what a newcomer's client gets),
 * in both protocol eras: the page the build baked in (PLAYER_HTML) is served, the three tools name it,
 * a saved clip comes back whole through video-bytes://, and VIDEO_MCP_UI=off takes it all away.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayerHtml } from '../../scripts/player-html.mjs';
import { modernStdio } from '../helpers/modern-client.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

const PLAYER = 'ui://together-video/player.html';
const ARGS = { model: 'minimax/video-01-director', prompt: 'a fox in the snow', wait_seconds: 30 };

/** What both eras' clients are used for here (their callTool signatures differ). */
interface Client {
  listTools(): Promise<{ tools: { name: string; _meta?: Record<string, unknown> | undefined }[] }>;
  readResource(p: { uri: string }): Promise<{
    contents: { mimeType?: string; text?: string; blob?: string; _meta?: Record<string, unknown> }[];
  }>;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

async function start(era: '2025' | '2026', env: Record<string, string>): Promise<Client> {
  if (era === '2025') {
    const bin = await spawnBin(env);
    return {
      listTools: () => bin.client.listTools(),
      readResource: (p) => bin.client.readResource(p) as ReturnType<Client['readResource']>,
      call: (name, args) => bin.call(name, args),
      close: () => bin.close(),
    };
  }
  const { client, close } = await modernStdio(env);
  return {
    listTools: () => client.listTools(),
    readResource: (p) => client.readResource(p) as ReturnType<Client['readResource']>,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close,
  };
}

describe.each(['2025', '2026'] as const)('the player from the built bin over stdio, %s era', (era) => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-ui-'));
    env = {
      HOME: home,
      VIDEO_MCP_SANDBOX: '1',
      VIDEO_MCP_SANDBOX_JOB_SECONDS: '1',
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'out'),
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
    };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('serves the built page, names it on three tools, and plays a sandbox clip through MCP', async () => {
    const c = await start(era, env);
    try {
      const { tools } = await c.listTools();
      expect(tools.filter((t) => t._meta?.ui).map((t) => t.name)).toEqual([
        'create_video',
        'get_video_status',
        'download_video',
      ]);
      const [page] = (await c.readResource({ uri: PLAYER })).contents;
      expect(page?.mimeType).toBe('text/html;profile=mcp-app');
      expect(page?.text).toBe(await buildPlayerHtml());

      const created = await c.call('create_video', ARGS);
      const jobId = (created.structuredContent as { job_id: string }).job_id;
      const saved = await c.call('download_video', { job_id: jobId, preview: false });
      const file = saved.structuredContent as { sha256: string; bytes: number };
      const [chunk] = (await c.readResource({ uri: `video-bytes://${encodeURIComponent(jobId)}/0` }))
        .contents;
      expect(chunk?._meta).toEqual({ 'together-video/total': file.bytes, 'together-video/next': null });
      const data = Buffer.from(chunk?.blob ?? '', 'base64');
      expect(createHash('sha256').update(data).digest('hex')).toBe(file.sha256);
    } finally {
      await c.close();
    }
  });

  it('with VIDEO_MCP_UI=off lists no _meta and has no page', async () => {
    const c = await start(era, { ...env, VIDEO_MCP_UI: 'off' });
    try {
      const { tools } = await c.listTools();
      expect(tools.filter((t) => t._meta?.ui)).toEqual([]);
      await expect(c.readResource({ uri: PLAYER })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await c.close();
    }
  });
});
