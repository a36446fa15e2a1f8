/**
 * The built bin without ffmpeg (PATH without it, or VIDEO_MCP_FFMPEG pointing nowhere), in both
 * protocol eras: downloads work, the first result says how to enable previews and later ones say
 * nothing; preview_video says how each time. With ffmpeg, the 2026-era client gets the image.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernStdio } from '../helpers/modern-client.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

const ARGS = { model: 'minimax/video-01-director', prompt: 'a fox in the snow', wait_seconds: 30 };
const ENABLE =
  /No preview: ffmpeg was not found\. Install ffmpeg .* or set VIDEO_MCP_FFMPEG to the ffmpeg binary/;

interface Saved {
  path: string;
  bytes: number;
  job_id: string;
  preview?: unknown;
  preview_note?: string;
}

type Call = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function downloadOnce(call: Call): Promise<{ result: CallToolResult; saved: Saved }> {
  const created = await call('create_video', ARGS);
  const jobId = (created.structuredContent as { job_id: string }).job_id;
  const result = await call('download_video', { job_id: jobId });
  expect(result.isError, textOf(result)).toBeFalsy();
  const saved = result.structuredContent as unknown as Saved;
  expect((await stat(saved.path)).size).toBe(saved.bytes);
  return { result, saved };
}

/** Two downloads (the hint once, then silence) and preview_video (says how, every time). */
async function checkNoFfmpeg(call: Call): Promise<void> {
  const first = await downloadOnce(call);
  expect(first.result.content.some((c) => c.type === 'image')).toBe(false);
  expect(first.saved.preview).toBeUndefined();
  expect(first.saved.preview_note).toMatch(ENABLE);
  expect(textOf(first.result)).toMatch(ENABLE);

  const second = await downloadOnce(call);
  expect(second.saved).not.toHaveProperty('preview_note');
  expect(textOf(second.result)).not.toMatch(/No preview|Install ffmpeg/);

  const preview = await call('preview_video', { job_id: second.saved.job_id });
  expect(preview.isError).toBe(true);
  expect(textOf(preview)).toMatch(/Previews need ffmpeg\. Install ffmpeg/);
}

describe('previews without ffmpeg, from the built bin', () => {
  let home: string;
  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-noffmpeg-'));
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  const env = (extra: Record<string, string>) => ({
    HOME: home,
    VIDEO_MCP_STATE_DIR: path.join(home, `state-${Object.keys(extra).join()}`),
    VIDEO_MCP_SANDBOX_JOB_SECONDS: '1',
    VIDEO_MCP_LOG_LEVEL: 'warn',
    ...extra,
  });

  it('2025 era, PATH without ffmpeg: downloads work, the hint comes once', async () => {
    // node is started by its absolute path; nothing else the server runs is looked up on PATH.
    const bin = await spawnBin(env({ PATH: '/nonexistent' }));
    try {
      await checkNoFfmpeg((name, args) => bin.call(name, args) as Promise<CallToolResult>);
    } finally {
      await bin.close();
    }
  });

  it('2026 era, VIDEO_MCP_FFMPEG pointing nowhere: the same', async () => {
    const bin = await modernStdio(env({ VIDEO_MCP_FFMPEG: '/nonexistent/ffmpeg' }));
    try {
      await checkNoFfmpeg(
        async (name, args) => (await bin.client.callTool({ name, arguments: args })) as CallToolResult,
      );
    } finally {
      await bin.close();
    }
  });

  it('2026 era with ffmpeg: the download shows the preview image', async () => {
    const bin = await modernStdio(env({}));
    try {
      const { result, saved } = await downloadOnce(
        async (name, args) => (await bin.client.callTool({ name, arguments: args })) as CallToolResult,
      );
      const image = result.content.find((c) => c.type === 'image');
      expect(image?.mimeType).toBe('image/jpeg');
      expect(Buffer.from(image?.data ?? '', 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(saved.preview).toMatchObject({ width: 320, height: 180, duration_seconds: 2 });
    } finally {
      await bin.close();
    }
  });
});
