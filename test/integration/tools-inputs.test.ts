import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLedger } from '../../src/jobs/ledger.js';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { paddedMp4 } from '../helpers/containers.js';
import { creates, type Harness, startHarness, structured, textOf } from '../helpers/harness.js';
import { EDIT_MODEL, FRAME_MODEL, PNG } from '../helpers/inputs.js';

const MiB = 1024 * 1024;

describe('local, inline and job: inputs', () => {
  let h: Harness;
  let outside: string;
  beforeAll(async () => {
    h = await startHarness();
    outside = await mkdtemp(path.join(os.tmpdir(), 'tvm-outside-'));
    await writeFile(path.join(h.outputDir, 'frame.png'), PNG);
    await writeFile(path.join(h.outputDir, 'notes.txt'), 'just text, not an image');
    await writeFile(path.join(h.outputDir, 'huge.png'), Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]));
    await writeFile(path.join(outside, 'secret.png'), PNG);
    await symlink(path.join(outside, 'secret.png'), path.join(h.outputDir, 'link.png'));
  });
  afterAll(async () => {
    await h.close();
    await rm(outside, { recursive: true, force: true });
  });

  const lastCreateBody = () =>
    h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as {
      media?: { frame_images?: { input_image: string }[] };
    };

  it('sends a local image inside the allowed folders as base64', async () => {
    const result = await h.call('create_video', {
      ...FRAME_MODEL,
      media: { frame_images: [{ input_image: path.join(h.outputDir, 'frame.png'), frame: 'first' }] },
    });
    expect(result.isError).toBeFalsy();
    expect(lastCreateBody().media?.frame_images?.[0]?.input_image).toBe(PNG.toString('base64'));
    const ledger = await new JobLedger(h.stateDir).get(structured<{ job_id: string }>(result).job_id);
    expect(JSON.stringify(ledger?.params)).toContain(path.join(h.outputDir, 'frame.png'));
  });

  it('accepts a data: URI of the right kind and passes https URLs through', async () => {
    await h.call('create_video', {
      ...FRAME_MODEL,
      media: {
        frame_images: [
          { input_image: `data:image/png;base64,${PNG.toString('base64')}`, frame: 'first' },
          { input_image: 'https://example.com/last.png', frame: 'last' },
        ],
      },
    });
    const sent = lastCreateBody().media?.frame_images ?? [];
    expect(sent[0]?.input_image).toBe(PNG.toString('base64'));
    expect(sent[1]?.input_image).toBe('https://example.com/last.png');
  });

  const refusals: [string, () => string, RegExp][] = [
    [
      'a path outside the allowed folders',
      () => path.join(outside, 'secret.png'),
      /outside the allowed input folders.*VIDEO_MCP_INPUT_DIRS/,
    ],
    [
      'a symlink that leads outside them',
      () => path.join(h.outputDir, 'link.png'),
      /outside the allowed input folders/,
    ],
    [
      'a file that is not an image',
      () => path.join(h.outputDir, 'notes.txt'),
      /takes image \(PNG, JPEG, WebP or GIF\)/,
    ],
    ['an image over the size limit', () => path.join(h.outputDir, 'huge.png'), /at most 10 MB/],
    ['a missing file', () => path.join(h.outputDir, 'nope.png'), /no file at/],
    ['a relative path', () => 'frame.png', /absolute file path/],
    [
      'a video where an image belongs',
      () => `data:video/mp4;base64,${sandboxVideo('mp4').toString('base64')}`,
      /video\/mp4, but this field takes image/,
    ],
  ];
  for (const [name, ref, pattern] of refusals) {
    it(`refuses ${name}, before anything is sent`, async () => {
      const before = creates(h.emulator);
      const result = await h.call('create_video', {
        ...FRAME_MODEL,
        media: { frame_images: [{ input_image: ref(), frame: 'first' }] },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/media\.frame_images\[0\]\.input_image/);
      expect(textOf(result)).toMatch(pattern);
      expect(creates(h.emulator)).toBe(before);
    });
  }

  it('refuses a file: URL that names another host, as an input error rather than a crash', async () => {
    const before = creates(h.emulator);
    const result = await h.call('create_video', {
      ...FRAME_MODEL,
      media: { frame_images: [{ input_image: 'file://other.host/share/frame.png', frame: 'first' }] },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/media\.frame_images\[0\]\.input_image.*names the host "other\.host"/);
    expect(textOf(result)).toContain('file:///absolute/path');
    expect(textOf(result)).not.toMatch(/Unexpected error/);
    expect(h.logs.join('\n')).not.toMatch(/tool call crashed/);
    expect(creates(h.emulator)).toBe(before);

    const local = await h.call('create_video', {
      ...FRAME_MODEL,
      media: {
        frame_images: [
          { input_image: `file://localhost${path.join(h.outputDir, 'frame.png')}`, frame: 'first' },
        ],
      },
    });
    expect(local.isError, textOf(local)).toBeFalsy();
  });

  it('sends a 6 MB inline video whole: the emulator takes bodies as large as the media limits allow', async () => {
    const video = paddedMp4(6 * MiB);
    const result = await h.call('create_video', {
      ...EDIT_MODEL,
      media: { source_video: `data:video/mp4;base64,${video.toString('base64')}` },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const sent = h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as {
      media: { source_video: string };
    };
    expect(sent.media.source_video).toBe(video.toString('base64'));
  });

  it('sends a 20 MB local video whole (about 27 MB of JSON)', async () => {
    const file = path.join(h.outputDir, 'clip.mp4');
    await writeFile(file, paddedMp4(20 * MiB));
    const result = await h.call('create_video', { ...EDIT_MODEL, media: { source_video: file } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const sent = h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as {
      media: { source_video: string };
    };
    expect(Buffer.byteLength(sent.media.source_video, 'base64')).toBe(20 * MiB);
  });

  it('refuses inline data over 7 MB before anything is sent, pointing to a file path', async () => {
    const before = creates(h.emulator);
    const result = await h.call('create_video', {
      ...EDIT_MODEL,
      media: { source_video: `data:video/mp4;base64,${paddedMp4(8 * MiB).toString('base64')}` },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /media\.source_video.*inline data \(8 MB\).*at most 7 MB per call.*stdio is capped at 10 MB.*absolute path \(video files up to 100 MB\)/,
    );
    expect(creates(h.emulator)).toBe(before);
  });

  it('refuses a create whose files and inline data pass 100 MB, before reading them all', async () => {
    const names = ['big-1.mp4', 'big-2.mp4'].map((n) => path.join(h.outputDir, n));
    for (const name of names) {
      // Sparse: 60 MB on paper, a few KB on disk.
      await writeFile(name, sandboxVideo('mp4'));
      await truncate(name, 60 * MiB);
    }
    const before = creates(h.emulator);
    const result = await h.call('create_video', {
      model: 'Wan-AI/wan2.7-r2v',
      prompt: 'the two clips meet',
      resolution: '720P',
      ratio: '16:9',
      wait_seconds: 0,
      media: { reference_videos: names.map((video) => ({ video })) },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /media\.reference_videos\[\d\]\.video: would take the media sent in this request to 120 MB.*at most 100 MB/,
    );
    expect(creates(h.emulator)).toBe(before);
  });

  it("turns job:<id> into a fresh URL of that job's video, and explains unknown or unfinished jobs", async () => {
    const done = structured<{ job_id: string }>(
      await h.call('create_video', { ...FRAME_MODEL, wait_seconds: 30 }),
    );
    const edit = {
      model: 'Wan-AI/wan2.7-videoedit',
      prompt: 'make it snow',
      resolution: '720P',
      ratio: '16:9',
      wait_seconds: 0,
    };
    const ok = await h.call('create_video', { ...edit, media: { source_video: `job:${done.job_id}` } });
    expect(ok.isError).toBeFalsy();
    const sent = h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as {
      media: { source_video: string };
    };
    expect(sent.media.source_video).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shrt\//);

    const unknown = await h.call('create_video', { ...edit, media: { source_video: 'job:does-not-exist' } });
    expect(textOf(unknown)).toMatch(/media.source_video: No video job with id "does-not-exist" exists/);
    const running = structured<{ job_id: string }>(
      await h.call('create_video', { ...FRAME_MODEL, wait_seconds: 0 }),
    );
    const early = await h.call('create_video', { ...edit, media: { source_video: `job:${running.job_id}` } });
    expect(textOf(early)).toMatch(/has no video yet/);
    const image = await h.call('create_video', {
      ...FRAME_MODEL,
      media: { frame_images: [{ input_image: `job:${done.job_id}`, frame: 'first' }] },
    });
    expect(textOf(image)).toMatch(/stands for a video/);
  });
});
