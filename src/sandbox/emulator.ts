/**
 * An HTTP emulator of Together's video API (`/v2/videos`, `/v1/models`) on 127.0.0.1: auth, both
 * documented response shapes, status transitions over time, a short video URL that redirects to an
 * expiring, Range-capable file, and injectable faults. Sandbox mode and the tests use it through the
 * same client code as production.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../log.js';
import { FaultQueue, type FaultRule, parseFaultRules } from './faults.js';
import { type EmulatedJob, renderJob, type Shape, sizeOf, statusAt, uuidv7 } from './job-store.js';
import { serveVideo } from './serve-video.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /** When set, only this bearer token is accepted; otherwise any non-empty one. */
  apiKey?: string;
  shape?: Shape;
  jobDurationMs?: number;
  durationFor?: (model: string) => number;
  costFor?: (model: string, seconds: string | undefined) => number;
  urlTtlMs?: number;
  /** Serve videos padded to this many bytes (still playable). */
  videoBytes?: number;
  clock?: () => number;
  logger?: Logger;
  models?: { id: string; organization?: string; displayName?: string }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  route: string;
  body?: unknown;
  at: number;
}

export interface Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(faults: FaultRule[]): void;
  setShape(shape: Shape): void;
  readonly requests: ReadonlyArray<RecordedRequest>;
  jobCount(): number;
  clearRequests(): void;
}

const DEFAULT_MODELS = [
  { id: 'google/veo-3.0', organization: 'Google', displayName: 'Veo 3.0' },
  { id: 'openai/sora-2', organization: 'OpenAI', displayName: 'Sora 2' },
  { id: 'minimax/hailuo-02', organization: 'MiniMax', displayName: 'Hailuo 02' },
  { id: 'ByteDance/Seedance-1.0-lite', organization: 'ByteDance', displayName: 'Seedance 1.0 Lite' },
];
const FAIL_MARKER = '[fail]';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function apiError(message: string, type: string, code: string): unknown {
  return { error: { message, type, param: null, code } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const secret = randomBytes(16);
  const jobs = new Map<string, EmulatedJob>();
  const shortLinks = new Map<string, { jobId: string; expires: number }>();
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  let shape: Shape = options.shape ?? 'spec';
  let origin = '';
  const ttl = options.urlTtlMs ?? 10 * 60_000;
  const sign = (jobId: string, expires: number): string =>
    createHmac('sha256', secret).update(`${jobId}:${expires}`).digest('hex').slice(0, 32);

  const mintUrl = (job: EmulatedJob): string => {
    const token = randomBytes(9).toString('base64url');
    shortLinks.set(token, { jobId: job.id, expires: now() + ttl });
    return `${origin}/shrt/${token}`;
  };

  const authorised = (req: IncomingMessage): boolean => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return !!match && (options.apiKey === undefined || match[1] === options.apiKey);
  };

  /** Applies a fault rule before normal handling; returns true when the fault answered the request. */
  const applyFault = async (rule: FaultRule | undefined, res: ServerResponse): Promise<boolean> => {
    if (!rule) return false;
    if (rule.kind === 'delay') {
      await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
      return false;
    }
    if (rule.kind === 'drop') {
      res.socket?.destroy();
      return true;
    }
    if (rule.kind === 'status') {
      const status = rule.status ?? 500;
      const headers: Record<string, string> =
        rule.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {};
      const body =
        rule.body ??
        apiError(
          `Emulated fault: HTTP ${status}`,
          status === 429 ? 'rate_limit' : 'server_error',
          `http_${status}`,
        );
      send(res, status, body, headers);
      return true;
    }
    return false;
  };

  const handleCreate = async (
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> => {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(res, 400, apiError('Request body is not valid JSON.', 'invalid_request_error', 'invalid_json'));
      return;
    }
    record.body = body;
    const rule = faults.take('create');
    if (await applyFault(rule, res)) return;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { model?: unknown }).model !== 'string'
    ) {
      send(res, 400, apiError('The "model" field is required.', 'invalid_request_error', 'missing_model'));
      return;
    }
    const request = body as Record<string, unknown>;
    const model = String(request.model);
    const seconds = request.seconds === undefined ? '5' : String(request.seconds);
    const job: EmulatedJob = {
      id: uuidv7(now()),
      model,
      request,
      createdAt: now(),
      durationMs: options.durationFor?.(model) ?? options.jobDurationMs ?? 3000,
      seconds,
      size: sizeOf(request),
      cost: options.costFor?.(model, seconds) ?? 0.1 * Number(seconds),
      container: request.output_format === 'WEBM' ? 'webm' : 'mp4',
    };
    if (typeof request.prompt === 'string' && request.prompt.includes(FAIL_MARKER)) {
      job.failure = { message: 'The prompt was flagged by the content filter.', code: 'contentFiltered' };
    }
    jobs.set(job.id, job);
    logger.debug('emulator created job', { job_id: job.id, model });
    if (rule?.kind === 'drop-after-accept') {
      res.socket?.destroy();
      return;
    }
    send(res, 200, shape === 'docs' ? { id: job.id } : renderJob(job, shape, now(), () => mintUrl(job)));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const route =
      path === '/v2/videos'
        ? 'create'
        : path.startsWith('/v2/videos/')
          ? 'retrieve'
          : path === '/v1/models'
            ? 'models'
            : path.startsWith('/shrt/') || path.startsWith('/files/')
              ? 'download'
              : 'other';
    const record: RecordedRequest = { method, path, route, at: now() };
    requests.push(record);

    if (path === '/healthz') return send(res, 200, { ok: true, jobs: jobs.size, shape });
    if (path.startsWith('/__emulator/')) {
      if (path === '/__emulator/requests') return send(res, 200, requests);
      try {
        const body: unknown = JSON.parse((await readBody(req)) || 'null');
        if (path === '/__emulator/faults') faults.set(parseFaultRules(body));
        else if (path === '/__emulator/shape') {
          const next = (body as { shape?: unknown } | null)?.shape;
          if (next !== 'spec' && next !== 'docs') throw new Error('shape must be "spec" or "docs"');
          shape = next;
        } else return send(res, 404, { error: { message: 'unknown control endpoint' } });
        return send(res, 200, { ok: true });
      } catch (error) {
        return send(res, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
      }
    }
    if (route === 'download') return serveDownload(req, res, url);
    if (route === 'other')
      return send(res, 404, apiError(`No route for ${method} ${path}`, 'invalid_request_error', 'not_found'));
    if (!authorised(req)) {
      return send(res, 401, apiError('Invalid API key provided', 'invalid_request_error', 'invalid_api_key'));
    }
    if (route === 'create' && method === 'POST') return handleCreate(req, res, record);
    if (await applyFault(faults.take(route === 'models' ? 'models' : 'retrieve'), res)) return;
    if (route === 'models') {
      const models = (options.models ?? DEFAULT_MODELS).map((m) => ({
        id: m.id,
        object: 'model',
        created: 1_750_000_000,
        type: 'video',
        display_name: m.displayName ?? m.id,
        organization: m.organization ?? m.id.split('/')[0],
      }));
      return send(res, 200, [
        ...models,
        { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', created: 1, type: 'chat' },
      ]);
    }
    const job = jobs.get(decodeURIComponent(path.slice('/v2/videos/'.length)));
    if (!job || method !== 'GET')
      return send(res, 404, apiError('Video ID not found.', 'invalid_request_error', 'not_found'));
    return send(
      res,
      200,
      renderJob(job, shape, now(), () => mintUrl(job)),
    );
  };

  const expired = (res: ServerResponse): void => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';
    res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const serveDownload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (url.pathname.startsWith('/shrt/')) {
      const link = shortLinks.get(url.pathname.slice('/shrt/'.length));
      if (!link) return send(res, 404, { error: { message: 'Unknown link' } });
      if (now() > link.expires) return expired(res);
      const job = jobs.get(link.jobId);
      const file = `${origin}/files/${link.jobId}.${job?.container ?? 'mp4'}?expires=${link.expires}&sig=${sign(link.jobId, link.expires)}`;
      res.writeHead(302, { location: file, 'content-length': 0 });
      res.end();
      return;
    }
    const match = /^\/files\/([^/.]+)\.(mp4|webm)$/.exec(url.pathname);
    const expires = Number(url.searchParams.get('expires'));
    const job = match?.[1] ? jobs.get(match[1]) : undefined;
    if (!match?.[1] || !job || url.searchParams.get('sig') !== sign(match[1], expires)) {
      return send(res, 403, { error: { message: 'Signature does not match' } });
    }
    if (now() > expires) return expired(res);
    if (statusAt(job, now()) !== 'completed')
      return send(res, 404, { error: { message: 'Video not ready' } });
    // Download faults hit the file itself, not the redirect in front of it.
    const rule = faults.take('download');
    if (await applyFault(rule, res)) return;
    await serveVideo(req, res, {
      job,
      ...(options.videoBytes !== undefined ? { videoBytes: options.videoBytes } : {}),
      ...(rule?.kind === 'truncate' ? { truncateAfter: rule.afterBytes ?? 0 } : {}),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('emulator request failed', { error });
      if (!res.headersSent) send(res, 500, apiError('Internal emulator error', 'server_error', 'internal'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  logger.info('emulator listening', { url: origin });

  return {
    url: origin,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    setFaults: (rules) => faults.set(rules),
    setShape: (next) => {
      shape = next;
    },
    requests,
    jobCount: () => jobs.size,
    clearRequests: () => {
      requests.length = 0;
    },
  };
}
