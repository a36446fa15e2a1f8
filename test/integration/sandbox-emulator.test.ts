import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/sandbox/emulator.js';
import { ffprobe } from '../helpers/ffprobe.js';

const KEY = 'emu-key-1';
const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ apiKey: KEY, jobDurationMs: 300, ...options });
  running.push(e);
  return e;
}

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
type Json = Record<string, unknown>;

async function create(
  e: Emulator,
  body: Json = { model: 'google/veo-3.0', prompt: 'a cat' },
): Promise<Response> {
  return fetch(`${e.url}/v2/videos`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
}
async function job(e: Emulator, id: string): Promise<Json> {
  return (await (await fetch(`${e.url}/v2/videos/${id}`, { headers: auth })).json()) as Json;
}
async function until(e: Emulator, id: string, status: string): Promise<Json> {
  for (let i = 0; i < 100; i++) {
    const j = await job(e, id);
    if (j.status === status) return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job never reached ${status}`);
}
async function fileUrl(e: Emulator, id: string): Promise<string> {
  const done = await until(e, id, 'completed');
  const short = (done.outputs as Json).video_url as string;
  const res = await fetch(short, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '', short).href;
}

describe('sandbox emulator', () => {
  it('requires the right bearer token', async () => {
    const e = await emulator();
    expect((await fetch(`${e.url}/v2/videos`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${e.url}/v1/models`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    const models = (await (await fetch(`${e.url}/v1/models`, { headers: auth })).json()) as Json[];
    expect(models.some((m) => m.type === 'video')).toBe(true);
  });

  it('walks a job through its statuses in the spec shape (numbers, no queued)', async () => {
    const e = await emulator();
    const created = (await (await create(e)).json()) as Json;
    expect(created).toMatchObject({ object: 'video', status: 'in_progress', model: 'google/veo-3.0' });
    expect(typeof created.created_at).toBe('number');
    const done = await until(e, String(created.id), 'completed');
    expect(typeof done.completed_at).toBe('number');
    expect(done.outputs).toMatchObject({
      cost: expect.any(Number),
      video_url: expect.stringContaining('/shrt/'),
    });
  });

  it('answers create with only {id} and walks queued -> in_progress -> completed in the docs shape', async () => {
    const e = await emulator({ shape: 'docs', jobDurationMs: 600 });
    const created = (await (await create(e)).json()) as Json;
    expect(Object.keys(created)).toEqual(['id']);
    const first = await job(e, String(created.id));
    expect(first.status).toBe('queued');
    expect(first.outputs).toBeNull();
    expect(typeof first.created_at).toBe('string');
    await until(e, String(created.id), 'in_progress');
    await until(e, String(created.id), 'completed');
  });

  it('fails a [fail] prompt with a provider message in both shapes', async () => {
    const e = await emulator();
    const id = String(((await (await create(e, { model: 'm', prompt: 'x [fail]' })).json()) as Json).id);
    expect((await until(e, id, 'failed')).error).toMatchObject({
      message: expect.stringMatching(/content filter/),
      code: 'contentFiltered',
    });
    e.setShape('docs');
    const docs = await job(e, id);
    expect((docs.info as { errors: Json[] }).errors[0]?.message).toMatch(/content filter/);
  });

  it('answers 404 for an unknown id and 400 without a model', async () => {
    const e = await emulator();
    expect((await fetch(`${e.url}/v2/videos/nope`, { headers: auth })).status).toBe(404);
    expect((await create(e, { prompt: 'no model' })).status).toBe(400);
  });

  it('serves a playable MP4 with Range, If-Range and 416', async () => {
    const e = await emulator();
    const id = String(((await (await create(e)).json()) as Json).id);
    const url = await fileUrl(e, id);
    const full = await fetch(url);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const etag = full.headers.get('etag') ?? '';
    const bytes = Buffer.from(await full.arrayBuffer());
    const file = path.join(os.tmpdir(), `emu-${id}.mp4`);
    await writeFile(file, bytes);
    expect((await ffprobe(file)).duration).toBeGreaterThan(0);

    const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    expect((await fetch(url, { headers: { range: `bytes=${bytes.length + 5}-` } })).status).toBe(416);
    expect((await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } })).status).toBe(200);
    expect((await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206);
  });

  it('pads a video to any size and it still plays', async () => {
    const e = await emulator({ videoBytes: 5_000_000 });
    const id = String(((await (await create(e)).json()) as Json).id);
    const res = await fetch(await fileUrl(e, id));
    expect(res.headers.get('content-length')).toBe('5000000');
    const file = path.join(os.tmpdir(), `emu-big-${id}.mp4`);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    expect((await ffprobe(file)).duration).toBeGreaterThan(0);
  });

  it('expires video URLs, and a fresh GET of the job mints a working one', async () => {
    const e = await emulator({ urlTtlMs: 100 });
    const id = String(((await (await create(e)).json()) as Json).id);
    const done = await until(e, id, 'completed');
    const short = (done.outputs as Json).video_url as string;
    const file = new URL((await fetch(short, { redirect: 'manual' })).headers.get('location') ?? '', short)
      .href;
    await new Promise((r) => setTimeout(r, 150));
    expect((await fetch(short, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(file)).status).toBe(403);
    expect((await fetch(await fileUrl(e, id))).status).toBe(200);
  });

  it('injects faults: 429 with Retry-After and no job, drops, drop-after-accept, delay, times', async () => {
    const e = await emulator();
    e.setFaults([{ route: 'create', kind: 'status', status: 429, retryAfterSeconds: 2, times: 2 }]);
    for (let i = 0; i < 2; i++) {
      const res = await create(e);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
    }
    expect(e.jobCount()).toBe(0);
    expect((await create(e)).status).toBe(200);
    e.setFaults([{ route: 'create', kind: 'drop' }]);
    await expect(create(e)).rejects.toThrow();
    expect(e.jobCount()).toBe(1);
    e.setFaults([{ route: 'create', kind: 'drop-after-accept' }]);
    await expect(create(e)).rejects.toThrow();
    expect(e.jobCount()).toBe(2);
    e.setFaults([{ route: 'models', kind: 'delay', delayMs: 300 }]);
    const started = Date.now();
    expect((await fetch(`${e.url}/v1/models`, { headers: auth })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('truncates a download after the given bytes', async () => {
    const e = await emulator();
    const id = String(((await (await create(e)).json()) as Json).id);
    const url = await fileUrl(e, id);
    e.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 1000 }]);
    const res = await fetch(url);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('is driven over its control plane', async () => {
    const e = await emulator();
    const post = (route: string, body: unknown) =>
      fetch(`${e.url}/__emulator/${route}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('faults', [{ route: 'retrieve', kind: 'status', status: 503 }])).status).toBe(200);
    expect((await fetch(`${e.url}/v2/videos/x`, { headers: auth })).status).toBe(503);
    expect((await post('faults', [{ route: 'nowhere', kind: 'drop' }])).status).toBe(400);
    expect((await post('shape', { shape: 'docs' })).status).toBe(200);
    expect(((await (await create(e)).json()) as Json).object).toBeUndefined();
    const seen = (await (await fetch(`${e.url}/__emulator/requests`)).json()) as { route: string }[];
    expect(seen.filter((r) => r.route === 'retrieve')).toHaveLength(1);
    expect((await (await fetch(`${e.url}/healthz`)).json()) as Json).toMatchObject({
      ok: true,
      shape: 'docs',
    });
  });
});
