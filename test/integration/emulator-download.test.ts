import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { ebmlElements, mp4Boxes } from '../helpers/containers.js';
import { createdId, emulator, fileUrlOf, getJob, manualClock, videoUrlOf } from '../helpers/emulator.js';
import { probeVideo } from '../helpers/probe-video.js';

const MP4 = sandboxVideo('mp4');
const WEBM = sandboxVideo('webm');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emu-dl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A finished job's short video URL, using a hand-driven clock so no test waits for the job. */
async function finishedVideo(
  options: Parameters<typeof emulator>[0] = {},
  body: Record<string, unknown> = { model: 'google/veo-3.0', prompt: 'a cat' },
) {
  const clock = manualClock();
  const e = await emulator({ clock: clock.now, ...options });
  const id = await createdId(e, body);
  clock.advance(3_000);
  const shortUrl = videoUrlOf(await getJob(e, id));
  return { e, id, clock, shortUrl };
}

async function expectPlayable(file: string, format: RegExp, codec: string): Promise<void> {
  const info = await probeVideo(file);
  expect(info.format).toMatch(format);
  expect(info.codec).toBe(codec);
  expect(info.duration).toBeCloseTo(2, 1);
}

describe('emulator downloads', () => {
  it('redirects the short link to a signed file URL that serves a real MP4 without auth', async () => {
    const { id, shortUrl } = await finishedVideo();
    const fileUrl = await fileUrlOf(shortUrl);
    expect(fileUrl).toMatch(new RegExp(`/files/${id}\\.mp4\\?expires=\\d+&sig=[0-9a-f]{32}$`));
    const res = await fetch(shortUrl);
    expect(res.status).toBe(200);
    expect(res.url).toBe(fileUrl);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe(String(MP4.length));
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(MP4)).toBe(true);
    const file = path.join(dir, 'full.mp4');
    await writeFile(file, bytes);
    await expectPlayable(file, /mp4/, 'h264');
  });

  it('serves a WebM (VP9) when output_format is WEBM', async () => {
    const { shortUrl } = await finishedVideo({}, { model: 'm', prompt: 'p', output_format: 'WEBM' });
    const res = await fetch(shortUrl);
    expect(res.url).toMatch(/\.webm\?/);
    expect(res.headers.get('content-type')).toBe('video/webm');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(WEBM)).toBe(true);
    const file = path.join(dir, 'full.webm');
    await writeFile(file, bytes);
    await expectPlayable(file, /webm/, 'vp9');
  });

  it('honours Range (206 + Content-Range), open and suffix ranges, If-Range, HEAD, and 416', async () => {
    const { shortUrl } = await finishedVideo();
    const url = await fileUrlOf(shortUrl);
    const size = MP4.length;
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag') ?? '';
    const ranges: [string, number, number][] = [
      ['bytes=100-199', 100, 199],
      ['bytes=1000-', 1000, size - 1],
      ['bytes=-500', size - 500, size - 1],
      ['bytes=0-99999999', 0, size - 1],
    ];
    for (const [range, start, end] of ranges) {
      const res = await fetch(url, { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      expect(Buffer.from(await res.arrayBuffer()).equals(MP4.subarray(start, end + 1)), range).toBe(true);
    }
    const unsatisfiable = await fetch(url, { headers: { range: `bytes=${size}-` } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${size}`);
    // Several ranges, or another unit: ignored, so the whole file, as S3 does.
    expect((await fetch(url, { headers: { range: 'bytes=0-1,5-6' } })).status).toBe(200);
    expect((await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206);
    const stale = await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': '"an-old-etag"' } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-length')).toBe(String(size));
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(size));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('pads to an exact size with an MP4 free box and the file still plays', async () => {
    const { shortUrl } = await finishedVideo({ videoBytes: 5_000_000 });
    const res = await fetch(shortUrl);
    expect(res.headers.get('content-length')).toBe('5000000');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(5_000_000);
    expect(bytes.subarray(0, MP4.length).equals(MP4)).toBe(true);
    expect(bytes.readUInt32BE(MP4.length)).toBe(5_000_000 - MP4.length);
    expect([...mp4Boxes(bytes)].map((b) => b.type)).toEqual(['ftyp', 'moov', 'free', 'mdat', 'free']);
    expect([...mp4Boxes(bytes)].at(-1)?.end).toBe(bytes.length);
    const file = path.join(dir, 'padded.mp4');
    await writeFile(file, bytes);
    await expectPlayable(file, /mp4/, 'h264');
  });

  it('announces a 5 GB video without allocating it, with a 64-bit free box that players accept', async () => {
    const total = 5_000_000_000;
    const { shortUrl } = await finishedVideo({ videoBytes: total });
    const url = await fileUrlOf(shortUrl);
    expect((await fetch(url, { method: 'HEAD' })).headers.get('content-length')).toBe(String(total));
    const headEnd = MP4.length + 16;
    const start = await fetch(url, { headers: { range: `bytes=0-${headEnd - 1}` } });
    expect(start.headers.get('content-range')).toBe(`bytes 0-${headEnd - 1}/${total}`);
    const head = Buffer.from(await start.arrayBuffer());
    expect(head.readUInt32BE(MP4.length)).toBe(1);
    expect(head.readBigUInt64BE(MP4.length + 8)).toBe(BigInt(total - MP4.length));
    const tail = await fetch(url, { headers: { range: 'bytes=-4096' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.alloc(4096))).toBe(true);
    // The rest is zeros by construction, so a sparse file of the full size is the same file.
    const file = path.join(dir, 'huge.mp4');
    await writeFile(file, head);
    await truncate(file, total);
    await expectPlayable(file, /mp4/, 'h264');
    await rm(file);
  });

  it('pads WebM with an EBML Void element of any width, and it still plays', async () => {
    for (const pad of [2, 200, 20_000, 3_000_000]) {
      const { shortUrl } = await finishedVideo(
        { videoBytes: WEBM.length + pad },
        { model: 'm', prompt: 'p', output_format: 'WEBM' },
      );
      const bytes = Buffer.from(await (await fetch(shortUrl)).arrayBuffer());
      expect(bytes.length).toBe(WEBM.length + pad);
      // EBML header, Segment, then the Void, ending exactly at the end of the file.
      expect(ebmlElements(bytes).map((el) => el.type)).toEqual(['1a45dfa3', '18538067', 'ec']);
      expect(ebmlElements(bytes).at(-1)).toEqual({ type: 'ec', start: WEBM.length, end: bytes.length });
      const file = path.join(dir, `padded-${pad}.webm`);
      await writeFile(file, bytes);
      await expectPlayable(file, /webm/, 'vp9');
    }
  });

  it('expires both URLs with 403 "Request has expired"; a new GET of the job mints a working one', async () => {
    const { e, id, clock, shortUrl } = await finishedVideo({ urlTtlMs: 100 });
    const fileUrl = await fileUrlOf(shortUrl);
    expect((await fetch(fileUrl, { method: 'HEAD' })).status).toBe(200);
    clock.advance(101);
    for (const url of [shortUrl, fileUrl]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status, url).toBe(403);
      expect(await res.text()).toContain('Request has expired');
    }
    const fresh = videoUrlOf(await getJob(e, id));
    expect(fresh).not.toBe(shortUrl);
    const res = await fetch(fresh);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(MP4)).toBe(true);
  });

  it('rejects a tampered signature or expiry, and an unknown short link', async () => {
    const { e, shortUrl } = await finishedVideo();
    const fileUrl = new URL(await fileUrlOf(shortUrl));
    const longer = new URL(fileUrl);
    longer.searchParams.set('expires', String(Number(fileUrl.searchParams.get('expires')) + 3_600_000));
    const forged = new URL(fileUrl);
    forged.searchParams.set('sig', '0'.repeat(32));
    for (const url of [longer, forged]) {
      const res = await fetch(url);
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/signature/i);
    }
    expect((await fetch(`${e.url}/shrt/AAAAAAAAAAAAAAAA`, { redirect: 'manual' })).status).toBe(404);
  });
});
