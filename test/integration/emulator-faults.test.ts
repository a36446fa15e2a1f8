import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import {
  AUTH,
  create,
  createdId,
  emulator,
  fileUrlOf,
  getJob,
  type Json,
  manualClock,
  videoUrlOf,
} from '../helpers/emulator.js';

/** Reads a body until it ends or breaks; returns how many bytes arrived and whether it broke. */
async function drain(body: AsyncIterable<Buffer>): Promise<{ bytes: number; broken: boolean }> {
  let bytes = 0;
  try {
    for await (const chunk of body) bytes += chunk.length;
    return { bytes, broken: false };
  } catch {
    return { bytes, broken: true };
  }
}

async function finishedFileUrl(options: Parameters<typeof emulator>[0] = {}) {
  const clock = manualClock();
  const e = await emulator({ clock: clock.now, ...options });
  const id = await createdId(e);
  clock.advance(3_000);
  return { e, id, url: await fileUrlOf(videoUrlOf(await getJob(e, id))) };
}

describe('emulator faults', () => {
  it('status 429 with Retry-After refuses a create without making a job, then the API recovers', async () => {
    const e = await emulator();
    e.setFaults([{ route: 'create', kind: 'status', status: 429, retryAfterSeconds: 2, times: 2 }]);
    for (let i = 0; i < 2; i++) {
      const res = await create(e);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({ error: { type: 'rate_limit', message: expect.any(String) } });
    }
    expect(e.jobCount()).toBe(0);
    expect((await create(e)).status).toBe(200);
    expect(e.jobCount()).toBe(1);
    expect(e.requests.filter((r) => r.route === 'create')).toHaveLength(3);
  });

  it('status 503 on create and retrieve, with a custom body when one is given; no Retry-After unless asked', async () => {
    const e = await emulator();
    const id = await createdId(e);
    e.setFaults([
      { route: 'create', kind: 'status', status: 503 },
      { route: 'retrieve', kind: 'status', status: 503, body: { message: 'busy' } },
    ]);
    const refused = await create(e);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: { code: 'engine_overloaded' } });
    const poll = await fetch(`${e.url}/v2/videos/${id}`, { headers: AUTH });
    expect(poll.status).toBe(503);
    expect(await poll.json()).toEqual({ message: 'busy' });
    expect(e.jobCount()).toBe(1);
    expect((await getJob(e, id)).id).toBe(id);
  });

  it('drop on create closes the connection with no answer and no job; drop-after-accept makes exactly one', async () => {
    const e = await emulator();
    e.setFaults([{ route: 'create', kind: 'drop' }]);
    await expect(create(e)).rejects.toThrow();
    expect(e.jobCount()).toBe(0);
    // The request did reach the API, body and all: that is what makes a drop ambiguous to a client.
    expect(e.requests.at(-1)).toMatchObject({ route: 'create', body: { model: 'google/veo-3.0' } });
    e.setFaults([{ route: 'create', kind: 'drop-after-accept' }]);
    await expect(create(e)).rejects.toThrow();
    expect(e.jobCount()).toBe(1);
    expect((await create(e)).status).toBe(200);
    expect(e.jobCount()).toBe(2);
  });

  it('drop on retrieve and models', async () => {
    const e = await emulator();
    const id = await createdId(e);
    e.setFaults([
      { route: 'retrieve', kind: 'drop' },
      { route: 'models', kind: 'drop' },
    ]);
    await expect(getJob(e, id)).rejects.toThrow();
    await expect(fetch(`${e.url}/v1/models`, { headers: AUTH })).rejects.toThrow();
    expect((await getJob(e, id)).id).toBe(id);
  });

  it('truncate sends the full Content-Length, then cuts the download after exactly afterBytes', async () => {
    const { e, url } = await finishedFileUrl();
    e.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 1000 }]);
    const res = await request(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(sandboxVideo('mp4').length));
    expect(await drain(res.body)).toEqual({ bytes: 1000, broken: true });
    // Used up: the next download is whole, and a resumed Range is cut relative to its own start.
    const whole = await request(url);
    expect(await drain(whole.body)).toEqual({ bytes: sandboxVideo('mp4').length, broken: false });
    e.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 0 }]);
    const empty = await request(url, { headers: { range: 'bytes=5000-' } });
    expect(empty.statusCode).toBe(206);
    expect(await drain(empty.body)).toEqual({ bytes: 0, broken: true });
  });

  it('truncate streams a padded multi-megabyte body and cuts it deep inside the padding', async () => {
    const { e, url } = await finishedFileUrl({ videoBytes: 8_000_000 });
    e.setFaults([{ route: 'download', kind: 'truncate', afterBytes: 6_543_210 }]);
    const res = await request(url);
    expect(res.headers['content-length']).toBe('8000000');
    expect(await drain(res.body)).toEqual({ bytes: 6_543_210, broken: true });
  });

  it('truncate on a JSON route leaves a body the client cannot parse', async () => {
    const e = await emulator();
    const id = await createdId(e);
    e.setFaults([{ route: 'retrieve', kind: 'truncate', afterBytes: 10 }]);
    const res = await request(`${e.url}/v2/videos/${id}`, { headers: AUTH });
    expect(Number(res.headers['content-length'])).toBeGreaterThan(10);
    expect(await drain(res.body)).toEqual({ bytes: 10, broken: true });
  });

  it('delay answers normally after delayMs', async () => {
    const e = await emulator();
    e.setFaults([{ route: 'models', kind: 'delay', delayMs: 250 }]);
    let started = Date.now();
    expect((await fetch(`${e.url}/v1/models`, { headers: AUTH })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    started = Date.now();
    expect((await fetch(`${e.url}/v1/models`, { headers: AUTH })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('consumes rules in order, counts times (Infinity too), and "any" matches every API route', async () => {
    const e = await emulator();
    e.setFaults([
      { route: 'create', kind: 'status', status: 429 },
      { route: 'create', kind: 'status', status: 503, times: 2 },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await create(e)).status);
    expect(statuses).toEqual([429, 503, 503, 200]);

    e.setFaults([{ route: 'retrieve', kind: 'status', status: 502, times: Number.POSITIVE_INFINITY }]);
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${e.url}/v2/videos/x`, { headers: AUTH })).status).toBe(502);
    e.setFaults([]);
    expect((await fetch(`${e.url}/v2/videos/x`, { headers: AUTH })).status).toBe(404);

    e.setFaults([{ route: 'any', kind: 'status', status: 500, times: 2 }]);
    expect((await fetch(`${e.url}/v1/models`, { headers: AUTH })).status).toBe(500);
    expect((await create(e)).status).toBe(500);
    expect((await fetch(`${e.url}/v1/models`, { headers: AUTH })).status).toBe(200);
    expect(e.jobCount()).toBe(1);
  });

  it('a download fault hits the file, not the short link in front of it', async () => {
    const { e, id } = await finishedFileUrl();
    e.setFaults([{ route: 'download', kind: 'status', status: 503 }]);
    const shortUrl = videoUrlOf(await getJob(e, id));
    expect((await fetch(shortUrl, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(shortUrl)).status).toBe(503);
    expect((await fetch(shortUrl)).status).toBe(200);
  });
});

describe('emulator control plane', () => {
  const post = (url: string, body: unknown): Promise<Response> =>
    fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('sets faults over HTTP (null times means always), validates them, and lists what is left', async () => {
    const e = await emulator();
    const set = await post(`${e.url}/__emulator/faults`, [
      { route: 'retrieve', kind: 'status', status: 503, times: null },
      { route: 'create', kind: 'drop-after-accept' },
    ]);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ ok: true, faults: 2 });
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${e.url}/v2/videos/x`, { headers: AUTH })).status).toBe(503);
    await expect(create(e)).rejects.toThrow();
    expect(e.jobCount()).toBe(1);
    const left = (await (await fetch(`${e.url}/__emulator/faults`)).json()) as Json[];
    expect(left).toEqual([{ route: 'retrieve', kind: 'status', status: 503, times: null }]);

    for (const bad of [
      { route: 'nowhere', kind: 'drop' },
      { route: 'create', kind: 'explode' },
      { route: 'create', kind: 'status', status: 42 },
      { route: 'create', kind: 'drop', times: 0 },
    ]) {
      const res = await post(`${e.url}/__emulator/faults`, [bad]);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: Json }).error.message).toMatch(/fault 0/);
    }
    expect((await post(`${e.url}/__emulator/faults`, '{"not":"an array"}')).status).toBe(400);
    expect((await post(`${e.url}/__emulator/faults`, 'not json')).status).toBe(400);
  });

  it('switches the response shape, lists and clears recorded requests, resets, and reports health', async () => {
    const e = await emulator();
    expect((await post(`${e.url}/__emulator/shape`, { shape: 'sideways' })).status).toBe(400);
    expect((await post(`${e.url}/__emulator/shape`, { shape: 'docs' })).status).toBe(200);
    const created = (await (await create(e, { model: 'm', prompt: 'p' })).json()) as Json;
    expect(Object.keys(created)).toEqual(['id']);
    expect((await getJob(e, String(created.id))).status).toBe('queued');

    const seen = (await (await fetch(`${e.url}/__emulator/requests`)).json()) as Json[];
    // Control-plane calls are not API traffic, so they are not recorded.
    expect(seen.map((r) => `${r.method} ${r.route}`)).toEqual(['POST create', 'GET retrieve']);
    expect(seen[0]).toMatchObject({
      path: '/v2/videos',
      body: { model: 'm', prompt: 'p' },
      at: expect.any(Number),
    });

    expect((await fetch(`${e.url}/__emulator/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(e.requests).toHaveLength(0);

    await post(`${e.url}/__emulator/faults`, [{ route: 'models', kind: 'status', status: 500 }]);
    await getJob(e, String(created.id));
    expect((await post(`${e.url}/__emulator/reset`, {})).status).toBe(200);
    expect(e.requests).toHaveLength(0);
    expect((await fetch(`${e.url}/v1/models`, { headers: AUTH })).status).toBe(200);

    const health = await fetch(`${e.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, jobs: 1, shape: 'docs' });
    expect((await fetch(`${e.url}/__emulator/nothing`)).status).toBe(404);
  });
});
