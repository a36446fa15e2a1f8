/**
 * Previews through the SDK client with the system's ffmpeg: download_video's contact sheet (MP4 and
 * WebM) and the facts read from the file, `preview: false`, a saved file frames cannot be taken from
 * (a note; the download still succeeds), preview_video's image alone, the video-preview:// resource,
 * and its per-token isolation over HTTP in both protocol eras.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewFacts } from '../../src/frames/video-preview.js';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import type { TogetherVideoApi } from '../../src/together/types.js';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';
import { type Era, type HttpHarness, startHttpHarness, TOKEN_A, TOKEN_B } from '../helpers/http-harness.js';
import { jpegSize } from '../helpers/jpeg-size.js';
import { type ScriptedServer, scriptedServer, serve } from '../helpers/scripted-server.js';

const ARGS = { model: 'minimax/video-01-director', prompt: 'a fox in the snow', wait_seconds: 30 };

interface Downloaded {
  path: string;
  preview?: PreviewFacts;
  preview_note?: string;
}

const images = (result: CallToolResult) =>
  result.content.filter((c): c is Extract<typeof c, { type: 'image' }> => c.type === 'image');

/** The one image of a result, decoded, after checking it is a JPEG within the budget. */
function sheetOf(result: CallToolResult): { data: Buffer; width: number; height: number } {
  const [image, ...more] = images(result);
  expect(more).toHaveLength(0);
  expect(image?.mimeType).toBe('image/jpeg');
  const data = Buffer.from(image?.data ?? '', 'base64');
  expect(data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(data.length).toBeLessThanOrEqual(100 * 1024);
  const size = jpegSize(data);
  expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(1024);
  return { data, ...size };
}

describe('previews in results', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 300, urlTtlMs: 60_000 } });
  });
  afterAll(async () => h.close());
  const job = async (extra: Record<string, unknown> = {}) =>
    structured<{ job_id: string }>(await h.call('create_video', { ...ARGS, ...extra })).job_id;

  it.each([
    ['MP4', 'h264'],
    ['WEBM', 'vp9'],
  ])(
    'download_video of a %s shows its contact sheet and the facts read from the file',
    async (format, codec) => {
      const jobId = await job({ output_format: format });
      const result = await h.call('download_video', { job_id: jobId });
      expect(result.isError, textOf(result)).toBeFalsy();
      const sheet = sheetOf(result);
      // The sandbox clips are 320x180: four tiles at their own size, 2 x 2.
      expect({ width: sheet.width, height: sheet.height }).toEqual({ width: 640, height: 360 });
      const saved = structured<Downloaded>(result);
      expect(saved.preview).toEqual({
        frame_times: [0, 0.646, 1.292, 1.938],
        duration_seconds: 2,
        width: 320,
        height: 180,
        fps: 24,
        codec,
      });
      expect(saved.preview_note).toBeUndefined();
      expect(textOf(result)).toContain(
        `Preview: frames at 0 s, 0.646 s, 1.292 s, 1.938 s; the file is 2 s, 320x180, 24 fps, ${codec}.`,
      );
      // The file link is still there, after the image.
      expect(result.content.map((c) => c.type)).toEqual(['text', 'image', 'resource_link']);

      // The copy already saved gets its preview too.
      const again = await h.call('download_video', { job_id: jobId });
      expect(structured<{ already_saved: boolean }>(again).already_saved).toBe(true);
      expect(sheetOf(again).data.equals(sheet.data)).toBe(true);
    },
  );

  it('leaves the preview out with preview: false', async () => {
    const result = await h.call('download_video', { job_id: await job(), preview: false });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(images(result)).toHaveLength(0);
    expect(structured<Downloaded>(result)).not.toHaveProperty('preview');
    expect(textOf(result)).not.toContain('Preview');
  });

  it('preview_video answers the image and one line, with no structuredContent', async () => {
    const jobId = await job();
    const downloaded = sheetOf(await h.call('download_video', { job_id: jobId }));
    const result = await h.call('preview_video', { job_id: jobId });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result).not.toHaveProperty('structuredContent');
    expect(result.content.map((c) => c.type)).toEqual(['image', 'text']);
    expect(sheetOf(result).data.equals(downloaded.data)).toBe(true);
    expect(result.content.find((c) => c.type === 'text')).toEqual({
      type: 'text',
      text: 'Frames at 0 s, 0.646 s, 1.292 s, 1.938 s (left to right, top to bottom) of a 2 s 320x180 24 fps h264 video.',
    });
  });

  it('preview_video of a job not downloaded says to download it; an unknown job is not found', async () => {
    const jobId = await job();
    const notSaved = await h.call('preview_video', { job_id: jobId });
    expect(notSaved.isError).toBe(true);
    expect(textOf(notSaved)).toMatch(
      /has no saved video to preview.*Call download_video with this job_id first/,
    );
    const unknown = await h.call('preview_video', { job_id: 'no-such-job' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/No video job with id "no-such-job" exists/);
  });

  it('serves video-preview://{job_id} as a JPEG blob, and an unknown id as video-job:// does', async () => {
    const jobId = await job();
    const downloaded = sheetOf(await h.call('download_video', { job_id: jobId }));
    const { contents } = await h.client.readResource({ uri: `video-preview://${jobId}` });
    expect(contents).toHaveLength(1);
    const [content] = contents;
    expect(content).toMatchObject({ uri: `video-preview://${jobId}`, mimeType: 'image/jpeg' });
    const blob = Buffer.from(String((content as { blob?: string }).blob), 'base64');
    expect(blob.equals(downloaded.data)).toBe(true);

    const asJob = await h.client.readResource({ uri: 'video-job://no-such-job' }).catch((e: Error) => e);
    const asPreview = await h.client
      .readResource({ uri: 'video-preview://no-such-job' })
      .catch((e: Error) => e);
    expect(asPreview).toBeInstanceOf(Error);
    expect((asPreview as Error & { code?: number }).code).toBe(-32602);
    expect((asPreview as Error).message).toBe((asJob as Error).message);
    const templates = (await h.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toEqual(expect.arrayContaining(['video-job://{job_id}', 'video-preview://{job_id}']));
  });
});

describe('a saved file frames cannot be taken from', () => {
  let h: Harness;
  let files: ScriptedServer;
  beforeAll(async () => {
    // The sandbox MP4 cut short: a valid MP4 start (the download checks it), its frames gone.
    const cut = sandboxVideo('mp4').subarray(0, 4_000);
    files = await scriptedServer(serve(Buffer.from(cut)));
    // The API's answer for a finished job whose video is that file (the download itself is real HTTP).
    const api: TogetherVideoApi = {
      createVideo: () => Promise.reject(new Error('not used')),
      retrieveVideo: async (id) => ({
        id,
        status: 'completed',
        model: 'minimax/video-01-director',
        videoUrl: `${files.url}/cut.mp4`,
      }),
    };
    h = await startHarness({ app: { api } });
  });
  afterAll(async () => {
    await h.close();
    await files.close();
  });

  it('saves the download and says why there is no preview', async () => {
    const result = await h.call('download_video', { job_id: 'job-cut' });
    expect(result.isError, textOf(result)).toBeFalsy();
    const saved = structured<Downloaded & { bytes: number }>(result);
    expect(saved.bytes).toBe(4_000);
    expect((await readFile(saved.path)).length).toBe(4_000);
    expect(path.dirname(saved.path)).toBe(h.outputDir);
    expect(images(result)).toHaveLength(0);
    expect(saved.preview).toBeUndefined();
    expect(saved.preview_note).toMatch(/^No preview: .*job-cut\.mp4.* The video itself is saved\.$/);
    expect(textOf(result)).toContain(saved.preview_note);
    // preview_video says the same, as an error this time (there is nothing else to show).
    const preview = await h.call('preview_video', { job_id: 'job-cut' });
    expect(preview.isError).toBe(true);
    expect(textOf(preview)).toMatch(/job-cut\.mp4/);
  });
});

describe.each<Era>(['2025', '2026'])('video-preview:// over HTTP with two tokens (%s era)', (era) => {
  let h: HttpHarness;
  afterEach(async () => h.close());

  it("serves each token its own jobs' previews and nobody else's", async () => {
    h = await startHttpHarness({ http: { tokens: [TOKEN_A, TOKEN_B] } });
    const a = await h.connectAs(era, TOKEN_A);
    const b = await h.connectAs(era, TOKEN_B);
    const jobId = structured<{ job_id: string }>(await a.call('create_video', ARGS)).job_id;
    const downloaded = await a.call('download_video', { job_id: jobId });
    expect(images(downloaded)).toHaveLength(1);

    const uri = `video-preview://${jobId}`;
    const mine = await a.readResource({ uri });
    expect(jpegSize(Buffer.from((mine.contents[0] as { blob: string }).blob, 'base64'))).toEqual({
      width: 640,
      height: 360,
    });
    await expect(b.readResource({ uri })).rejects.toThrow(/No video job with id .* exists for this token/);
    const theirs = await b.call('preview_video', { job_id: jobId });
    expect(theirs.isError).toBe(true);
    expect(textOf(theirs)).toMatch(/No video job with id .* exists for this token/);
    expect(images(await a.call('preview_video', { job_id: jobId }))).toHaveLength(1);
    await a.close();
    await b.close();
  });
});
