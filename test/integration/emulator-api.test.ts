import { describe, expect, it } from 'vitest';
import {
  AUTH,
  create,
  createdId,
  emulator,
  getJob,
  type Json,
  KEY,
  manualClock,
  pollToEnd,
  videoUrlOf,
} from '../helpers/emulator.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INVALID_KEY = {
  error: { message: 'Invalid API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
};

describe('emulator API: auth', () => {
  it('answers 401 with the provider body without a bearer or with a wrong one, on every API route', async () => {
    const e = await emulator();
    const none = await fetch(`${e.url}/v2/videos`, { method: 'POST', body: '{"model":"m"}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject(INVALID_KEY);
    const wrong = { authorization: 'Bearer not-the-key' };
    for (const [method, path] of [
      ['POST', '/v2/videos'],
      ['GET', '/v2/videos/abc'],
      ['GET', '/v1/models'],
    ] as const) {
      const res = await fetch(`${e.url}${path}`, {
        method,
        headers: wrong,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.json()).toMatchObject(INVALID_KEY);
    }
    expect(e.jobCount()).toBe(0);
    expect((await create(e)).status).toBe(200);
    expect(e.jobCount()).toBe(1);
  });

  it('answers 413 with the limit for a create body over 136 MiB, and makes no job', async () => {
    const e = await emulator();
    const res = await fetch(`${e.url}/v2/videos`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: Buffer.alloc(137 * 1024 * 1024, 0x20),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { message: 'Request body is over 136 MiB.', code: 'request_too_large' },
    });
    expect(e.jobCount()).toBe(0);
  });

  it('accepts any non-empty bearer when no key is configured, but still not a missing one', async () => {
    const e = await emulator({}, false);
    const ok = await fetch(`${e.url}/v1/models`, { headers: { authorization: 'Bearer anything-at-all' } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${e.url}/v1/models`, { headers: { authorization: 'Bearer ' } })).status).toBe(401);
    expect((await fetch(`${e.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${e.url}/v1/models`, { headers: { authorization: `Basic ${KEY}` } })).status).toBe(
      401,
    );
  });
});

describe('emulator API: jobs', () => {
  it('spec shape: full job from create, unix seconds, queued reported as in_progress, then completed', async () => {
    const clock = manualClock();
    const e = await emulator({ clock: clock.now, jobDurationMs: 10_000 });
    const res = await create(e, { model: 'google/veo-3.0', prompt: 'a fox', seconds: '8' });
    expect(res.status).toBe(200);
    const created = (await res.json()) as Json;
    expect(created).toEqual({
      id: expect.stringMatching(UUID_V7),
      object: 'video',
      model: 'google/veo-3.0',
      status: 'in_progress',
      created_at: Math.floor(clock.now() / 1000),
      // Veo 3.0's default size: the request named none.
      size: '1280x720',
      seconds: '8',
    });
    const id = String(created.id);
    expect((await getJob(e, id)).status).toBe('in_progress');
    clock.advance(5_000);
    expect(await getJob(e, id)).not.toHaveProperty('outputs');
    clock.advance(5_000);
    const done = await getJob(e, id);
    expect(done).toMatchObject({ status: 'completed', completed_at: Math.floor(clock.now() / 1000) });
    // Default price: 0.1 USD per second of video.
    expect(done.outputs).toEqual({
      cost: 0.8,
      video_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/shrt\/[\w-]{16}$/),
    });
    expect(done).not.toHaveProperty('error');
  });

  it('docs shape: {id} from create, ISO times, queued -> in_progress -> completed, outputs null until done', async () => {
    const clock = manualClock();
    const e = await emulator({ clock: clock.now, jobDurationMs: 10_000, shape: 'docs' });
    const res = await create(e);
    const created = (await res.json()) as Json;
    expect(Object.keys(created)).toEqual(['id']);
    const id = String(created.id);
    const queued = await getJob(e, id);
    expect(queued).toMatchObject({
      id,
      status: 'queued',
      outputs: null,
      created_at: new Date(clock.now()).toISOString(),
      claimed_at: '0001-01-01T00:00:00Z',
    });
    // Keys the spec does not have: a tolerant client must ignore them.
    expect(queued).toHaveProperty('info');
    expect(queued).toHaveProperty('inputs', { model: 'google/veo-3.0', prompt: 'a cat' });
    clock.advance(1_500);
    expect((await getJob(e, id)).status).toBe('in_progress');
    clock.advance(8_499);
    expect((await getJob(e, id)).status).toBe('in_progress');
    clock.advance(1);
    const done = await getJob(e, id);
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBe(new Date(clock.now()).toISOString());
    expect(typeof videoUrlOf(done)).toBe('string');
  });

  it.each(['spec', 'docs'] as const)(
    '%s shape: a 300 ms job walks its statuses in order in real time',
    async (shape) => {
      const e = await emulator({ shape, jobDurationMs: 300 });
      const started = Date.now();
      const { seen, job } = await pollToEnd(e, await createdId(e));
      const order = ['queued', 'in_progress', 'completed'];
      expect(seen.at(-1)).toBe('completed');
      expect(seen).toContain('in_progress');
      expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
      if (shape === 'spec') expect(seen).not.toContain('queued');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(videoUrlOf(job)).toContain('/shrt/');
    },
  );

  it('fails a [fail] prompt with a provider message and code, in both shapes', async () => {
    const clock = manualClock();
    const e = await emulator({ clock: clock.now });
    const id = await createdId(e, { model: 'minimax/hailuo-02', prompt: 'something [fail] here' });
    clock.advance(3_000);
    const failure = { message: 'The prompt was flagged by the content filter.', code: 'contentFiltered' };
    const spec = await getJob(e, id);
    expect(spec).toMatchObject({ status: 'failed', error: failure, completed_at: expect.any(Number) });
    expect(spec).not.toHaveProperty('outputs');
    e.setShape('docs');
    const docs = await getJob(e, id);
    expect(docs).toMatchObject({
      status: 'failed',
      error: failure,
      outputs: null,
      info: { errors: [failure] },
    });
  });

  it('answers 404 "Video ID not found" for an unknown id', async () => {
    const e = await emulator();
    const res = await fetch(`${e.url}/v2/videos/019a0068-794a-7213-90f6-cc4eb62e3da7`, { headers: AUTH });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: Json }).error.message).toBe('Video ID not found');
    expect((await fetch(`${e.url}/v2/videos/%E0%A4%A`, { headers: AUTH })).status).toBe(404);
  });

  it('answers 400 with a provider error for bad JSON, a non-object or a missing model, and makes no job', async () => {
    const e = await emulator();
    for (const body of [
      '{"model": ',
      '[1,2]',
      JSON.stringify({ prompt: 'no model' }),
      JSON.stringify({ model: '' }),
    ]) {
      const res = await create(e, body);
      expect(res.status, body).toBe(400);
      const error = ((await res.json()) as { error: Json }).error;
      expect(error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    }
    expect(e.jobCount()).toBe(0);
    expect(e.requests.map((r) => r.body)).toEqual([
      '{"model": ',
      [1, 2],
      { prompt: 'no model' },
      { model: '' },
    ]);
  });

  it('reports size from width/height or resolution and ratio, seconds as a string, and the configured cost', async () => {
    const e = await emulator({
      costFor: (model, seconds) => (model === 'cheap' ? 0.01 : 1) * Number(seconds ?? 5),
      durationFor: (model) => (model === 'slow' ? 60_000 : 100),
    });
    const cases: [Json, string][] = [
      [{ model: 'cheap', width: 1920, height: 1080 }, '1920x1080'],
      [{ model: 'cheap', resolution: '720p', ratio: '9:16' }, '720x1280'],
      [{ model: 'cheap', resolution: '1080P', ratio: '16:9' }, '1920x1080'],
      [{ model: 'cheap', resolution: '480p' }, '854x480'],
      [{ model: 'cheap', ratio: '1:1' }, '720x720'],
    ];
    for (const [body, size] of cases) {
      const job = (await (await create(e, body)).json()) as Json;
      expect(job.size, JSON.stringify(body)).toBe(size);
    }
    const fast = await createdId(e, { model: 'dear', seconds: 10 });
    const slow = await createdId(e, { model: 'slow' });
    await new Promise((r) => setTimeout(r, 150));
    const done = await getJob(e, fast);
    expect(done).toMatchObject({ status: 'completed', seconds: '10', outputs: { cost: 10 } });
    expect((await getJob(e, slow)).status).toBe('in_progress');
  });

  it('mints time-ordered UUID v7 ids', async () => {
    const clock = manualClock();
    const e = await emulator({ clock: clock.now });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await createdId(e));
      clock.advance(2);
    }
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort()).toEqual(ids);
    expect(Number.parseInt(ids[0]?.replaceAll('-', '').slice(0, 12) ?? '', 16)).toBe(clock.now() - 10);
  });

  it('answers 404 for unknown routes and 405 for a wrong method, and records what reached it', async () => {
    const clock = manualClock();
    const e = await emulator({ clock: clock.now });
    expect((await fetch(`${e.url}/v1/videos`, { headers: AUTH })).status).toBe(404);
    const res = await fetch(`${e.url}/v2/videos/abc`, { method: 'DELETE', headers: AUTH });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await create(e, { model: 'm', prompt: 'p' });
    expect(e.requests).toEqual([
      { method: 'GET', path: '/v1/videos', route: 'other', at: clock.now() },
      { method: 'DELETE', path: '/v2/videos/abc', route: 'retrieve', at: clock.now() },
      {
        method: 'POST',
        path: '/v2/videos',
        route: 'create',
        body: { model: 'm', prompt: 'p' },
        at: clock.now(),
      },
    ]);
    e.clearRequests();
    expect(e.requests).toHaveLength(0);
  });
});

describe('emulator API: models', () => {
  it('lists video ModelInfo objects plus one non-video model', async () => {
    const e = await emulator();
    const res = await fetch(`${e.url}/v1/models`, { headers: AUTH });
    expect(res.status).toBe(200);
    const models = (await res.json()) as Json[];
    expect(Array.isArray(models)).toBe(true);
    const video = models.filter((m) => m.type === 'video');
    expect(video.length).toBeGreaterThanOrEqual(3);
    expect(models.length - video.length).toBe(1);
    for (const m of models) {
      expect(m).toMatchObject({
        id: expect.any(String),
        object: 'model',
        created: expect.any(Number),
        type: expect.any(String),
      });
    }
    expect(video.map((m) => m.id)).toContain('google/veo-3.0');
  });

  it('lists the configured models, filling in organization and display name', async () => {
    const e = await emulator({
      models: [{ id: 'acme/clip-1' }, { id: 'x/y', organization: 'X', displayName: 'Why' }],
    });
    const models = (await (await fetch(`${e.url}/v1/models`, { headers: AUTH })).json()) as Json[];
    expect(models.filter((m) => m.type === 'video')).toEqual([
      expect.objectContaining({ id: 'acme/clip-1', organization: 'acme', display_name: 'acme/clip-1' }),
      expect.objectContaining({ id: 'x/y', organization: 'X', display_name: 'Why' }),
    ]);
  });
});
