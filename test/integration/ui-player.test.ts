/**
 * The MCP Apps player's server half (issue 15) through the SDK clients: `_meta.ui.resourceUri` on the
 * three tools whose results it shows and none with VIDEO_MCP_UI=off, the `ui://` page (its MIME type,
 * nothing it would fetch from elsewhere), and `video-bytes://` chunks that rebuild the saved file,
 * at most 1 MiB each, for the caller's own saved jobs only, in-process and over HTTP in both eras.
 */
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../src/resources/video-bytes.js';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';
import { type Era, type HttpHarness, startHttpHarness, TOKEN_A, TOKEN_B } from '../helpers/http-harness.js';

const PLAYER = 'ui://together-video/player.html';
const WITH_PLAYER = ['create_video', 'get_video_status', 'download_video'];
const ARGS = { model: 'minimax/video-01-director', prompt: 'a fox in the snow', wait_seconds: 30 };
// Three chunks: two full ones and a short last one.
const VIDEO_BYTES = 2 * CHUNK_BYTES + 123_457;

interface Read {
  contents: {
    uri: string;
    mimeType?: string;
    blob?: string;
    text?: string;
    _meta?: Record<string, unknown>;
  }[];
  _meta?: Record<string, unknown>;
}
type Reader = (params: { uri: string }) => Promise<unknown>;

/** Reads video-bytes:// from 0 until `next` is null; every chunk checked against the cap and the total. */
async function readAllChunks(
  read: Reader,
  jobId: string,
): Promise<{ data: Buffer; chunks: number; mime: string }> {
  const parts: Buffer[] = [];
  let offset: number | null = 0;
  let mime = '';
  while (offset !== null) {
    const result = (await read({ uri: `video-bytes://${encodeURIComponent(jobId)}/${offset}` })) as Read;
    expect(result.contents).toHaveLength(1);
    const [content] = result.contents;
    const chunk = Buffer.from(content?.blob ?? '', 'base64');
    expect(chunk.length).toBeGreaterThan(0);
    expect(chunk.length).toBeLessThanOrEqual(CHUNK_BYTES);
    const meta = content?._meta ?? {};
    expect(result._meta).toMatchObject(meta);
    const next = meta['together-video/next'] as number | null;
    expect(next).toBe(offset + chunk.length < VIDEO_BYTES ? offset + chunk.length : null);
    expect(meta['together-video/total']).toBe(VIDEO_BYTES);
    mime = content?.mimeType ?? '';
    parts.push(chunk);
    offset = next;
  }
  return { data: Buffer.concat(parts), chunks: parts.length, mime };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the player over the in-process SDK client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 200, videoBytes: VIDEO_BYTES } });
  });
  afterAll(async () => h.close());

  it('names the ui:// page in _meta.ui.resourceUri of the three tools, and no other', async () => {
    const { tools } = await h.client.listTools();
    for (const tool of tools)
      expect(tool._meta, tool.name).toEqual(
        WITH_PLAYER.includes(tool.name) ? { ui: { resourceUri: PLAYER } } : undefined,
      );
  });

  it('leaves resources/list to jobs: the page is found through the tools', async () => {
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => r.uri)).not.toContain(PLAYER);
  });

  it('serves the page as text/html;profile=mcp-app, self-contained', async () => {
    const { contents } = await h.client.readResource({ uri: PLAYER });
    expect(contents).toHaveLength(1);
    const [page] = contents;
    expect(page).toMatchObject({ uri: PLAYER, mimeType: RESOURCE_MIME_TYPE });
    expect(RESOURCE_MIME_TYPE).toBe('text/html;profile=mcp-app');
    const html = (page as { text: string }).text;
    expect(html).toMatch(/^<!doctype html>/i);
    // Built by scripts/player-html.mjs, not the unbuilt stand-in.
    expect(html).not.toContain('npm run build');
    // Nothing loaded from elsewhere: the host's frame would block it, or it would leak the view. The
    // markup's src/href and the styles' url()/@import are checked; the inlined script's own strings
    // (json-schema.org dialect names in the bundled SDK) load nothing.
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2');
    expect(markup).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    const styles = [...markup.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join('\n');
    expect(styles).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);
  });

  it('video-bytes:// chunks of at most 1 MiB rebuild the saved file (sha256)', async () => {
    const jobId = structured<{ job_id: string }>(await h.call('create_video', ARGS)).job_id;
    const saved = await h.call('download_video', { job_id: jobId, preview: false });
    expect(saved.isError, textOf(saved)).toBeFalsy();
    const file = structured<{ path: string; sha256: string; bytes: number }>(saved);
    expect(file.bytes).toBe(VIDEO_BYTES);
    const { data, chunks, mime } = await readAllChunks((p) => h.client.readResource(p), jobId);
    expect(chunks).toBe(3);
    expect(mime).toBe('video/mp4');
    expect(sha256(data)).toBe(file.sha256);
    expect(sha256(await readFile(file.path))).toBe(file.sha256);
  });

  it('refuses an unknown job, a job not saved yet, a bad offset, and a file changed after saving', async () => {
    await expect(h.client.readResource({ uri: 'video-bytes://no-such-job/0' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('No video job with id "no-such-job" exists'),
    });
    const jobId = structured<{ job_id: string }>(await h.call('create_video', ARGS)).job_id;
    const uri = `video-bytes://${encodeURIComponent(jobId)}/0`;
    await expect(h.client.readResource({ uri })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Call download_video with this job_id first'),
    });
    const file = structured<{ path: string }>(
      await h.call('download_video', { job_id: jobId, preview: false }),
    );
    await expect(
      h.client.readResource({ uri: `video-bytes://${encodeURIComponent(jobId)}/-1` }),
    ).rejects.toMatchObject({ message: expect.stringContaining('offset must be a whole number') });
    await expect(
      h.client.readResource({ uri: `video-bytes://${encodeURIComponent(jobId)}/${VIDEO_BYTES + 1}` }),
    ).rejects.toMatchObject({ message: expect.stringContaining('past the end') });
    // Read once (so it is checked and remembered), then changed: the change is seen, nothing served.
    await h.client.readResource({ uri });
    await appendFile(file.path, 'x');
    await expect(h.client.readResource({ uri })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('the saved file was moved or changed'),
    });
  });
});

describe('VIDEO_MCP_UI=off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ app: { ui: false } });
  });
  afterAll(async () => h.close());

  it('lists the tools without _meta, and serves neither the page nor video bytes', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t._meta).filter(Boolean)).toEqual([]);
    await expect(h.client.readResource({ uri: PLAYER })).rejects.toMatchObject({ code: -32602 });
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).not.toContain('video-bytes://{job_id}/{offset}');
  });
});

describe.each<Era>(['2025', '2026'])('the player over HTTP, %s era, two tokens', (era) => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttpHarness({
      emulator: { jobDurationMs: 200, videoBytes: VIDEO_BYTES },
      http: { tokens: [TOKEN_A, TOKEN_B] },
    });
  });
  afterAll(async () => h.close());

  it("lists the meta, serves the page, and gives a token's saved video to that token only", async () => {
    const a = await h.connectAs(era, TOKEN_A);
    const b = await h.connectAs(era, TOKEN_B);
    const { tools } = (await a.listTools()) as { tools: { name: string; _meta?: unknown }[] };
    expect(tools.filter((t) => t._meta).map((t) => t.name)).toEqual(WITH_PLAYER);
    const [page] = (await a.readResource({ uri: PLAYER })).contents as { mimeType?: string }[];
    expect(page?.mimeType).toBe(RESOURCE_MIME_TYPE);

    const jobId = structured<{ job_id: string }>(await a.call('create_video', ARGS)).job_id;
    const file = structured<{ sha256: string }>(
      await a.call('download_video', { job_id: jobId, preview: false }),
    );
    const { data } = await readAllChunks((p) => a.readResource(p), jobId);
    expect(sha256(data)).toBe(file.sha256);

    // The other token gets the words an id that never existed gets.
    const uri = `video-bytes://${encodeURIComponent(jobId)}/0`;
    const refused = await b.readResource({ uri }).then(
      () => 'served',
      (error: { message: string }) => error.message,
    );
    expect(refused).toContain(`No video job with id "${jobId}" exists for this token`);
  });
});
