/**
 * Streamable HTTP: `POST/GET/DELETE /mcp` and `GET /healthz` on a plain node:http server, for
 * clients of both protocol eras on one endpoint. This file only wires the pieces:
 *
 * - access-log.ts: one log line per request, with a request id; health.ts: what /healthz says;
 * - guard.ts: URL credentials, Host, Origin, bearer token (which also names the caller);
 * - reply.ts + body.ts: size, nesting and JSON-RPC shape of a POST body, read once;
 * - per-request.ts: 2026-07-28 requests (stateless by design), and 2025-era POSTs with `--stateless`;
 * - legacy-sessions.ts: 2025-era clients with sessions (the default);
 * - graceful-close.ts: what a shutdown owes calls still running.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../clock.js';
import type { HttpConfig } from '../../config.js';
import type { JobStore } from '../../jobs/job-store.js';
import type { Logger } from '../../log.js';
import type { ServerFactory } from '../../server.js';
import { remoteCallers } from '../../tools/caller-scope.js';
import { logRequest } from './access-log.js';
import { closeGracefully } from './graceful-close.js';
import { guardConfig, guardRequest } from './guard.js';
import { healthOf, healthStatus } from './health.js';
import { legacySessions } from './legacy-sessions.js';
import { isLegacyPost, perRequestServing } from './per-request.js';
import { readBodyOrRefuse, sendJson, sendRpcError } from './reply.js';

export interface HttpServeOptions {
  port: number;
  host: string;
  stateless: boolean;
  http: HttpConfig;
  /** Reported by /healthz. */
  sandbox: boolean;
  /** Where jobs live; the create rate limit is counted there too. */
  store: JobStore;
  clock: Clock;
}

export interface HttpHandle {
  url: string;
  /** Stops accepting, ends waits (they hand back job ids), gives other calls the grace period, closes. */
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';

export async function serveHttp(
  newServer: ServerFactory,
  options: HttpServeOptions,
  logger: Logger,
): Promise<HttpHandle> {
  const { http, clock } = options;
  const guard = guardConfig(http, options.host);
  const callers = remoteCallers(http.createsPerMinute, options.store);
  // The one tracker: every caller's tool calls, and the responses that carry their answers.
  const { inFlight } = callers;
  const trackResponse = (res: ServerResponse): void => {
    void inFlight.track(new Promise<void>((resolve) => res.once('close', () => resolve())), 'response');
  };
  const perRequest = perRequestServing(newServer, callers, logger);
  const sessions = options.stateless
    ? undefined
    : legacySessions(newServer, callers, { http, clock, logger, trackResponse });
  const startedAt = clock.now();
  let shuttingDown = false;

  async function handleMcp(
    req: IncomingMessage,
    res: ServerResponse,
    owner: string | undefined,
  ): Promise<void> {
    if (req.method !== 'POST') {
      if (sessions) return sessions.handle(req, res, owner);
      res.setHeader('allow', 'POST');
      sendRpcError(res, 405, 'Stateless mode answers POST only: there are no sessions to stream or delete.');
      return;
    }
    const body = await readBodyOrRefuse(req, res, http.maxBodyBytes);
    if (!body) return;
    if (sessions && (await isLegacyPost(req, body.value)))
      return sessions.handle(req, res, owner, body.value);
    trackResponse(res);
    await perRequest.handle(req, res, owner, body.value);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const entry = logRequest(req, res, url, logger);
    if (url.pathname === '/healthz') {
      const problem = await options.store.check().then(
        () => undefined,
        (error: unknown) => {
          logger.warn('health check: the job store cannot be used', { error });
          return error instanceof Error ? error.message : String(error);
        },
      );
      const facts = {
        shuttingDown,
        store: { shared: options.store.shared, problem },
        stateless: options.stateless,
        sandbox: options.sandbox,
        sessions: sessions?.size ?? 0,
        inFlight: inFlight.count('response'),
        uptimeMs: clock.now() - startedAt,
      };
      sendJson(res, healthStatus(facts), healthOf(facts));
      return;
    }
    if (url.pathname !== MCP_PATH) {
      sendJson(res, 404, { error: `Not found. The MCP endpoint is ${MCP_PATH}; health is /healthz.` });
      return;
    }
    if (shuttingDown) {
      sendRpcError(res, 503, 'The server is shutting down; retry against another replica or in a moment.', {
        headers: { connection: 'close', 'retry-after': '5' },
      });
      return;
    }
    const checked = guardRequest(req, url, guard);
    if (!checked.ok) {
      logger.warn('http request refused', {
        request_id: entry.id,
        status: checked.status,
        reason: checked.message,
      });
      sendRpcError(res, checked.status, checked.message, { headers: checked.headers ?? {} });
      return;
    }
    entry.owner = checked.owner;
    await handleMcp(req, res, checked.owner);
  }

  const server = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('http request failed', { error });
      sendRpcError(res, 500, 'Internal error; see the server log.', { code: -32603 });
    });
  });
  // Bounds only receiving the request (a trickled body), not the SSE response, which lasts as long as a job.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${MCP_PATH}`;
  logger.info('listening', {
    url,
    mode: options.stateless ? 'stateless' : 'stateful',
    auth: http.tokens.length ? `${http.tokens.length} token(s)` : 'none (loopback only)',
  });

  return {
    url,
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      await closeGracefully(
        { server, callers, graceSeconds: http.shutdownGraceSeconds, logger },
        async () => {
          await sessions?.closeAll();
          await perRequest.close();
        },
      );
    },
  };
}
