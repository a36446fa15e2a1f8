import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sniffContainer } from '../../src/files/container.js';
import { DownloadError, type DownloadOptions, downloadToFile } from '../../src/files/download.js';
import { OutputPathError, sanitiseFilename } from '../../src/files/output-path.js';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { paddedMp4 } from '../helpers/containers.js';
import { answer, redirect, type ScriptedServer, scriptedServer, serve } from '../helpers/scripted-server.js';

/** The real sample MP4 padded with a `free` box to ~1 MB, so drops can happen mid-body. */
function paddedVideo(): Buffer {
  return paddedMp4(sandboxVideo('mp4').length + 1_000_000);
}

const VIDEO = paddedVideo();
const SHA = createHash('sha256').update(VIDEO).digest('hex');
const servers: ScriptedServer[] = [];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-dl-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function server(...b: Parameters<typeof scriptedServer>): Promise<ScriptedServer> {
  const s = await scriptedServer(...b);
  servers.push(s);
  return s;
}

const download = (url: string, extra: Partial<DownloadOptions> = {}) =>
  downloadToFile({ url, outputDir: dir, defaultBase: 'job-1', maxAttempts: 4, ...extra });

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.part'));
}

describe('downloadToFile', () => {
  it('streams a video to the output dir with the right hash and no temp file left', async () => {
    const s = await server(serve(VIDEO));
    const result = await download(`${s.url}/v.mp4`);
    expect(result).toMatchObject({ bytes: VIDEO.length, sha256: SHA, mimeType: 'video/mp4', resumed: 0 });
    expect(result.path).toBe(path.join(dir, 'job-1.mp4'));
    expect(
      createHash('sha256')
        .update(await readFile(result.path))
        .digest('hex'),
    ).toBe(SHA);
    expect(await leftovers()).toEqual([]);
  });

  it('runs the collectGarbage option at every 4 MiB written, and downloads the same without it', async () => {
    const pad = Buffer.alloc(9_000_000);
    pad.writeUInt32BE(pad.length, 0);
    pad.write('free', 4, 'latin1');
    const big = Buffer.concat([sandboxVideo('mp4'), pad]);
    const sha = createHash('sha256').update(big).digest('hex');
    const s = await server(serve(big), serve(big));
    let collections = 0;
    const paced = await download(`${s.url}/v`, { collectGarbage: () => collections++ });
    expect(paced.sha256).toBe(sha);
    // 9 MB crosses the 4 MiB and 8 MiB marks.
    expect(collections).toBe(2);
    const plain = await download(`${s.url}/v`, { defaultBase: 'job-2' });
    expect(plain.sha256).toBe(sha);
    expect(collections).toBe(2);
  });

  it('follows a redirect chain', async () => {
    const s = await server(redirect('/b'), redirect('/c', 307), serve(VIDEO));
    expect((await download(`${s.url}/a`)).sha256).toBe(SHA);
    expect(s.requests.map((r) => r.url)).toEqual(['/a', '/b', '/c']);
  });

  it('resumes a transfer that drops half way with a validated Range request', async () => {
    const s = await server(serve(VIDEO, { cutAt: 400_000 }), serve(VIDEO));
    const result = await download(`${s.url}/v`);
    expect(result.sha256).toBe(SHA);
    expect(result.resumed).toBe(1);
    expect(s.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(s.requests[1]?.ifRange).toBe('"v1"');
  });

  it('starts over when the server ignores Range, or the file changed (new ETag)', async () => {
    const ignores = await server(serve(VIDEO, { cutAt: 300_000 }), serve(VIDEO, { ignoreRange: true }));
    expect((await download(`${ignores.url}/v`)).sha256).toBe(SHA);
    const changed = await server(serve(VIDEO, { cutAt: 300_000 }), serve(VIDEO, { etag: '"v2"' }));
    expect((await download(`${changed.url}/v`, { filename: 'again' })).sha256).toBe(SHA);
  });

  it('resumes after a stall longer than the idle time-out', async () => {
    const s = await server(serve(VIDEO, { stallAt: 200_000 }), serve(VIDEO));
    const result = await download(`${s.url}/v`, { idleTimeoutMs: 200 });
    expect(result.sha256).toBe(SHA);
    expect(result.resumed).toBe(1);
  });

  it('refreshes an expired URL from the job, and fails cleanly when it cannot', async () => {
    const s = await server(
      answer(403, '<Error>Request has expired</Error>', 'application/xml'),
      serve(VIDEO),
    );
    let refreshed = 0;
    const ok = await download(`${s.url}/old`, {
      refreshUrl: async () => {
        refreshed += 1;
        return `${s.url}/fresh`;
      },
    });
    expect(ok.sha256).toBe(SHA);
    expect(refreshed).toBe(1);

    const gone = await server(answer(403, 'expired'));
    const err = await download(`${gone.url}/old`, {
      filename: 'x',
      refreshUrl: async () => {
        throw new Error('job not found');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).reason).toBe('expired');
    expect((await readdir(dir)).filter((f) => f.startsWith('x'))).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses an HTML page served as 200 and keeps nothing', async () => {
    const s = await server(answer(200, '<html>Sign in to continue</html>'));
    const err = (await download(`${s.url}/v`).catch((e: unknown) => e)) as DownloadError;
    expect(err.reason).toBe('integrity');
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes the temp file when the caller aborts', async () => {
    const s = await server(serve(VIDEO, { stallAt: 100_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const err = (await download(`${s.url}/v`, { signal: controller.signal }).catch(
      (e: unknown) => e,
    )) as DownloadError;
    expect(err.reason).toBe('aborted');
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the bytes of an interrupted download and resumes them in a later call', async () => {
    const stalled = await server(serve(VIDEO, { stallAt: 300_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const first = (await download(`${stalled.url}/v`, {
      signal: controller.signal,
      resumeKey: 'job-7',
    }).catch((e: unknown) => e)) as DownloadError;
    expect(first.reason).toBe('aborted');
    expect(first.message).toMatch(/kept; downloading again resumes/);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['.job-7.part', '.job-7.part.json']));

    const good = await server(serve(VIDEO));
    const second = await download(`${good.url}/v`, { resumeKey: 'job-7' });
    expect(second.sha256).toBe(SHA);
    expect(second.resumed).toBe(1);
    expect(good.requests[0]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses a second download of the same job while the first is running', async () => {
    const slow = await server(serve(VIDEO, { stallAt: 100_000 }));
    const controller = new AbortController();
    const first = download(`${slow.url}/v`, { signal: controller.signal, resumeKey: 'job-8' }).catch(
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 100));
    const second = (await download(`${slow.url}/v`, { resumeKey: 'job-8' }).catch(
      (e: unknown) => e,
    )) as DownloadError;
    expect(second.message).toMatch(/already being downloaded/);
    controller.abort();
    await first;
  });

  it('never overwrites: an existing name gets -1', async () => {
    await writeFile(path.join(dir, 'clip.mp4'), 'keep me');
    const s = await server(serve(VIDEO));
    const result = await download(`${s.url}/v`, { filename: 'clip' });
    expect(result.path).toBe(path.join(dir, 'clip-1.mp4'));
    expect(await readFile(path.join(dir, 'clip.mp4'), 'utf8')).toBe('keep me');
  });

  it('refuses a symlink under the wanted name, and an unusable output dir', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'tvm-outside-'));
    await symlink(path.join(outside, 'target.mp4'), path.join(dir, 'evil.mp4'));
    const s = await server(serve(VIDEO));
    const err = await download(`${s.url}/v`, { filename: 'evil' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputPathError);
    expect((await readdir(outside)).length).toBe(0);
    await rm(outside, { recursive: true, force: true });

    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const bad = await download(`${s.url}/v`, { outputDir: path.join(file, 'videos') }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(OutputPathError);
    expect(String(bad)).toMatch(/VIDEO_MCP_OUTPUT_DIR/);
  });
});

describe('file names and containers', () => {
  it('refuses names that leave the output dir, naming the dir', () => {
    for (const name of ['../../etc/passwd', '/abs/x.mp4', 'sub/x', 'C:evil', '..']) {
      expect(() => sanitiseFilename(name, 'mp4', '/out')).toThrow(/\/out/);
    }
  });

  it('cleans the rest into portable names with the right extension', () => {
    expect(sanitiseFilename('con', 'mp4', '/out')).toBe('con-video.mp4');
    expect(sanitiseFilename('my clip.webm', 'mp4', '/out')).toBe('my clip.mp4');
    expect(sanitiseFilename('fuchs im schnee ❄', 'webm', '/out')).toBe('fuchs im schnee ❄.webm');
    expect(sanitiseFilename('a<b>c?.mp4', 'mp4', '/out')).toBe('abc.mp4');
    expect(() => sanitiseFilename('???', 'mp4', '/out')).toThrow(OutputPathError);
  });

  it('recognises MP4 and WebM by their first bytes', () => {
    expect(sniffContainer(sandboxVideo('mp4'))?.container).toBe('mp4');
    expect(sniffContainer(sandboxVideo('webm'))?.mimeType).toBe('video/webm');
    expect(sniffContainer(Buffer.from('<html></html>'))).toBeUndefined();
  });
});
