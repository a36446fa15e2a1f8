import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const KEY = 'tk-client-SECRET-777';
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Scripted {
  url: string;
  seen: { method: string; url: string; auth: string | undefined }[];
  close(): Promise<void>;
}

const servers: Scripted[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real HTTP server on 127.0.0.1 answering each request with the next handler (the last one repeats). */
async function scripted(...handlers: Handler[]): Promise<Scripted> {
  const seen: Scripted['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    req.resume();
    req.on('end', () =>
      (handlers[Math.min(seen.length - 1, handlers.length - 1)] ?? (() => {}))(req, res, seen.length),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const s: Scripted = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  servers.push(s);
  return s;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const drop: Handler = (req) => req.socket.destroy();
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
    expect(s.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(delays).toEqual([1000]);
    expect(s.seen[0]?.auth).toBe(`Bearer ${KEY}`);
    expect(s.seen[0]?.url).toBe('/v2/videos');
  });

  it('retries a GET through 503s', async () => {
    const s = await scripted(json(503, { error: { message: 'overloaded' } }), json(503, {}), json(200, JOB));
    const job = await client(s.url).api.retrieveVideo('job-1');
    expect(job.status).toBe('in_progress');
    expect(s.seen).toHaveLength(3);
  });

  it('never retries a create that failed with 500, and says the job may exist', async () => {
    const s = await scripted(json(500, { error: { message: 'boom' } }), json(200, JOB));
    const err = await client(s.url)
      .api.createVideo({ model: 'm' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as TogetherApiError).jobMayExist).toBe(true);
    expect(s.seen).toHaveLength(1);
  });

  it('retries a GET whose connection dropped, but not a POST (it may have been accepted)', async () => {
    const get = await scripted(drop, json(200, JOB));
    expect((await client(get.url).api.retrieveVideo('job-1')).id).toBe('job-1');
    expect(get.seen).toHaveLength(2);
    const post = await scripted(drop, json(200, JOB));
    const err = await client(post.url)
      .api.createVideo({ model: 'm' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as TogetherApiError).jobMayExist).toBe(true);
    expect(post.seen).toHaveLength(1);
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
    const s = await scripted((req, res, n) => setTimeout(() => json(200, JOB)(req, res, n), 1_000));
    const started = Date.now();
    const err = await client(s.url, { attemptTimeoutMs: 150, maxRetries: 0 })
      .api.retrieveVideo('job-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('stops at once when the caller aborts', async () => {
    const s = await scripted((req, res, n) => setTimeout(() => json(200, JOB)(req, res, n), 2_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = (await client(s.url)
      .api.retrieveVideo('job-1', { signal: controller.signal })
      .catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('encodes the job id into the path and lists models', async () => {
    const s = await scripted(
      json(200, { ...JOB, id: 'a/b c' }),
      json(200, [{ id: 'google/veo-3.0', type: 'video' }]),
    );
    const { api } = client(s.url);
    await api.retrieveVideo('a/b c');
    expect(s.seen[0]?.url).toBe('/v2/videos/a%2Fb%20c');
    expect(await api.listModels()).toEqual([{ id: 'google/veo-3.0', type: 'video' }]);
    expect(s.seen[1]?.url).toBe('/v1/models');
  });
});
