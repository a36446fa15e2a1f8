import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createTogetherClient, type TogetherClientOptions } from '../../src/together/client.js';
import {
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  PaymentRequiredError,
  ServerError,
  TimeoutError,
  type TogetherApiError,
} from '../../src/together/errors.js';
import { type Behaviour, type ScriptedServer, scriptedServer } from '../helpers/scripted-server.js';

const KEY = 'tk-client-SECRET-777';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function scripted(...behaviours: Behaviour[]): Promise<ScriptedServer> {
  const s = await scriptedServer(...behaviours);
  servers.push(s);
  return s;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const drop: Behaviour = (req) => req.socket.destroy();
const later =
  (ms: number, then: Behaviour): Behaviour =>
  (req, res) =>
    setTimeout(() => then(req, res), ms);
const JOB = { id: 'job-1', status: 'in_progress', model: 'google/veo-3.0' };

function client(url: string, extra: Partial<TogetherClientOptions> = {}) {
  const delays: number[] = [];
  const logs: string[] = [];
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void delays.push(ms) };
  const api = createTogetherClient({
    apiKey: KEY,
    baseUrl: `${url}/`,
    clock,
    logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
    attemptTimeoutMs: 2_000,
    ...extra,
  });
  return { api, delays, logs };
}

describe('Together client over real HTTP', () => {
  it('retries a create refused with 429, honouring Retry-After, sending it exactly twice', async () => {
    const s = await scripted(
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '1' }),
      json(200, JOB),
    );
    const { api, delays } = client(s.url);
    const job = await api.createVideo({ model: 'google/veo-3.0', prompt: 'x' });
    expect(job.id).toBe('job-1');
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(delays).toEqual([1000]);
    expect(s.requests[0]?.auth).toBe(`Bearer ${KEY}`);
    expect(s.requests[0]?.url).toBe('/v2/videos');
  });

  it('retries a GET through 503s', async () => {
    const s = await scripted(json(503, { error: { message: 'overloaded' } }), json(503, {}), json(200, JOB));
    const job = await client(s.url).api.retrieveVideo('job-1');
    expect(job.status).toBe('in_progress');
    expect(s.requests).toHaveLength(3);
  });

  it('never retries a create that failed with 500, and says the job may exist', async () => {
    const s = await scripted(json(500, { error: { message: 'boom' } }), json(200, JOB));
    const err = await client(s.url)
      .api.createVideo({ model: 'm' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as TogetherApiError).jobMayExist).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('retries a GET whose connection dropped, but not a POST (it may have been accepted)', async () => {
    const get = await scripted(drop, json(200, JOB));
    expect((await client(get.url).api.retrieveVideo('job-1')).id).toBe('job-1');
    expect(get.requests).toHaveLength(2);
    const post = await scripted(drop, json(200, JOB));
    const err = await client(post.url)
      .api.createVideo({ model: 'm' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as TogetherApiError).jobMayExist).toBe(true);
    expect(post.requests).toHaveLength(1);
  });

  it('retries a create whose connection was refused (never sent)', async () => {
    const s = await scripted(json(200, JOB));
    const closedUrl = s.url;
    await s.close();
    servers.length = 0;
    const { api, delays } = client(closedUrl, { maxRetries: 2 });
    const err = await api.createVideo({ model: 'm' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as TogetherApiError).jobMayExist).toBe(false);
    expect(delays).toHaveLength(2);
  });

  it('maps 401, 402 and 404 to typed errors with the provider message, code and request id', async () => {
    const s = await scripted(
      json(
        401,
        { error: { message: 'Invalid API key provided', code: 'invalid_api_key' } },
        { 'x-request-id': 'req-42' },
      ),
      json(402, { error: { message: 'Credit limit reached' } }),
      json(404, { error: { message: 'Video ID not found.' } }),
    );
    const { api, logs } = client(s.url);
    const auth = (await api.createVideo({ model: 'm' }).catch((e: unknown) => e)) as TogetherApiError;
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect(auth.message).toMatch(/TOGETHER_API_KEY/);
    expect(auth).toMatchObject({
      status: 401,
      providerMessage: 'Invalid API key provided',
      code: 'invalid_api_key',
      requestId: 'req-42',
    });
    expect(await api.createVideo({ model: 'm' }).catch((e: unknown) => e)).toBeInstanceOf(
      PaymentRequiredError,
    );
    expect(await api.retrieveVideo('nope').catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
    for (const text of [String(auth), auth.message, JSON.stringify(auth), logs.join('')])
      expect(text).not.toContain(KEY);
  });

  it('times out a slow answer per attempt', async () => {
    const s = await scripted(later(1_000, json(200, JOB)));
    const started = Date.now();
    const err = await client(s.url, { attemptTimeoutMs: 150, maxRetries: 0 })
      .api.retrieveVideo('job-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('stops at once when the caller aborts', async () => {
    const s = await scripted(later(2_000, json(200, JOB)));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = (await client(s.url)
      .api.retrieveVideo('job-1', { signal: controller.signal })
      .catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('encodes the job id into the path', async () => {
    const s = await scripted(json(200, { ...JOB, id: 'a/b c' }));
    const { api } = client(s.url);
    await api.retrieveVideo('a/b c');
    expect(s.requests[0]?.url).toBe('/v2/videos/a%2Fb%20c');
  });
});
