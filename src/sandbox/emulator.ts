/**
 * An HTTP emulator of Together's video API (`/v2/videos`, `/v1/models`) on 127.0.0.1: auth, both
 * documented response shapes, status transitions over time, a short video URL that redirects to an
 * expiring, Range-capable file, and injectable faults. Sandbox mode and the tests use it through the
 * same client code as production. It needs nothing at run time but Node: the videos are embedded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../log.js';
import { handleCreate, handleModels, handleRetrieve } from './api-routes.js';
import { handleControl } from './control-plane.js';
import { handleDownload } from './download-routes.js';
import { FaultQueue } from './faults.js';
import { apiError, type Exchange, sendJson } from './http-io.js';
import { JobFile } from './job-file.js';
import type { EmulatedJob } from './job-store.js';
import type { Emulator, EmulatorOptions, RecordedRequest, Shape } from './types.js';
import { VideoLinks } from './video-links.js';

export type { Emulator, EmulatorOptions } from './types.js';

type Route = 'create' | 'retrieve' | 'models' | 'download' | 'control' | 'health' | 'other';

const ALLOWED: Partial<Record<Route, readonly string[]>> = {
  create: ['POST'],
  retrieve: ['GET', 'HEAD'],
  models: ['GET', 'HEAD'],
  download: ['GET', 'HEAD'],
};

function classify(path: string): Route {
  if (path === '/v2/videos') return 'create';
  if (/^\/v2\/videos\/[^/]+$/.test(path)) return 'retrieve';
  if (path === '/v1/models') return 'models';
  if (path.startsWith('/shrt/') || path.startsWith('/files/')) return 'download';
  if (path.startsWith('/__emulator/')) return 'control';
  if (path === '/healthz') return 'health';
  return 'other';
}

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The bound address as a URL a client can use: a wildcard bind is reached through loopback. */
function originOf(address: AddressInfo): string {
  if (address.family === 'IPv6') {
    const host = address.address === '::' ? '::1' : address.address;
    return `http://[${host}]:${address.port}`;
  }
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `http://${host}:${address.port}`;
}

function decodeId(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const jobs = new Map<string, EmulatedJob>();
  const links = new VideoLinks(options.urlTtlMs ?? 10 * 60_000, now);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  let shape: Shape = options.shape ?? 'spec';
  let boundOrigin = '';
  const setShape = (next: Shape): void => {
    shape = next;
  };
  const saved = options.stateFile ? new JobFile(options.stateFile, logger) : undefined;
  /** Adds the jobs on disk this process does not know yet (made before it started, or by another process). */
  const loadSaved = async (): Promise<void> => {
    for (const job of (await saved?.read()) ?? []) if (!jobs.has(job.id)) jobs.set(job.id, job);
  };
  await loadSaved().catch((error: unknown) =>
    logger.warn('could not read the sandbox jobs; starting without them', { file: saved?.file, error }),
  );
  const api = {
    options,
    jobs,
    links,
    faults,
    now,
    shape: () => shape,
    logger,
    ...(saved ? { save: (job: EmulatedJob) => saved.append(job), reload: loadSaved } : {}),
  };

  const authorised = (req: IncomingMessage): boolean => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return match !== null && (!options.apiKey || match[1] === options.apiKey);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const route = classify(url.pathname);
    const record: RecordedRequest = { method, path: url.pathname, route, at: now() };
    const host = req.headers.host;
    const origin = host && HOST_HEADER.test(host) ? `http://${host}` : boundOrigin;
    const ex: Exchange = { req, res, url, record, origin };
    if (route === 'control') return handleControl(ex, { faults, requests, setShape });
    if (route === 'health') return sendJson(ex, 200, { ok: true, jobs: jobs.size, shape });
    requests.push(record);

    if (route === 'other') {
      const message = `No route for ${method} ${url.pathname}`;
      return sendJson(ex, 404, apiError(message, 'invalid_request_error', null));
    }
    if (route !== 'download' && !authorised(req)) {
      const error = apiError('Invalid API key provided', 'invalid_request_error', 'invalid_api_key');
      return sendJson(ex, 401, error);
    }
    const allowed = ALLOWED[route] ?? [];
    if (!allowed.includes(method)) {
      const message = `Method ${method} is not allowed on ${url.pathname}`;
      return sendJson(ex, 405, apiError(message, 'invalid_request_error', 'method_not_allowed'), {
        allow: allowed.join(', '),
      });
    }
    if (route === 'download')
      return handleDownload(ex, { jobs, links, faults, now, videoBytes: options.videoBytes });
    if (route === 'create') return handleCreate(ex, api);
    if (route === 'models') return handleModels(ex, api);
    const id = decodeId(url.pathname.slice('/v2/videos/'.length)) ?? '';
    return handleRetrieve(ex, api, id);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('emulator request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (res.headersSent) res.destroy();
      else {
        const body = JSON.stringify(apiError('Internal emulator error', 'server_error', 'internal_error'));
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  boundOrigin = originOf(address);
  logger.info('emulator listening', { url: boundOrigin, shape });

  let closing: Promise<void> | undefined;
  return {
    url: boundOrigin,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    setFaults: (rules) => faults.set(rules),
    setShape,
    requests,
    jobCount: () => jobs.size,
    clearRequests: () => {
      requests.length = 0;
    },
  };
}
