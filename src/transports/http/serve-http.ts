/**
 * Streamable HTTP transport: `POST/GET/DELETE /mcp` and `GET /healthz` on a plain node:http server.
 *
 * Stateful (default): a session per client, its own MCP server, progress streamed over SSE, closed
 * when idle. Stateless (`--stateless`): a fresh server per POST and no session id, so any replica
 * behind a load balancer can answer any request; replicas share jobs through one state dir.
 *
 * Every /mcp request passes the guard (URL credentials, Host, Origin, bearer token) and the body
 * checks (size, JSON, no batches) before the SDK's transport sees it.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../clock.js';
import type { HttpConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { ServerFactory } from '../../server.js';
import { remoteCallers } from '../../tools/caller-scope.js';
import { VERSION } from '../../version.js';
import type { RpcId } from '../jsonrpc-check.js';
import { readJsonBody } from './body.js';
import { guardConfig, guardRequest } from './guard.js';
import { type Session, SessionStore } from './sessions.js';

export interface HttpServeOptions {
  port: number;
  host: string;
  stateless: boolean;
  http: HttpConfig;
  /** Reported by /healthz. */
  sandbox: boolean;
  clock: Clock;
}

export interface HttpHandle {
  url: string;
  /** Stops accepting, ends waits (they hand back job ids), gives other calls the grace period, closes. */
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';

/**
 * After the grace period, how long stopped calls get to answer while their connections are still
 * open, and one that ignores the stop (a create recording its job) to finish its writes.
 */
const STOPPED_CALLS_MS = 10_000;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON-RPC error answer; the code is -32000 (a server-defined error) unless given. */
function sendRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  options: { code?: number; headers?: Record<string, string>; id?: RpcId } = {},
): void {
  const { code = -32000, headers = {}, id = null } = options;
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id }, headers);
}

/** The parsed JSON-RPC message, or undefined once a refusal (too large or deep, not JSON, not a message) was sent. */
async function readBodyOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<{ value: unknown } | undefined> {
  const body = await readJsonBody(req, maxBytes);
  if (body.ok) return body;
  // After a 413 the rest of the body is not read, so the connection cannot be reused.
  sendRpcError(res, body.status, body.message, {
    code: body.code,
    headers: body.status === 413 ? { connection: 'close' } : {},
    id: body.id,
  });
  return undefined;
}

export async function serveHttp(
  newServer: ServerFactory,
  options: HttpServeOptions,
  logger: Logger,
): Promise<HttpHandle> {
  const { http, clock } = options;
  const guard = guardConfig(http, options.host);
  const callers = remoteCallers(http.createsPerMinute, clock);
  // The one tracker: every caller's tool calls, and the responses that carry their answers.
  const { inFlight } = callers;
  const sessions = new SessionStore({
    maxSessions: http.maxSessions,
    maxPerOwner: http.maxSessionsPerToken,
    idleMs: http.sessionIdleMinutes * 60_000,
    now: () => clock.now(),
  });
  const startedAt = clock.now();
  let shuttingDown = false;

  const trackResponse = (res: ServerResponse): void => {
    void inFlight.track(new Promise<void>((resolve) => res.once('close', () => resolve())), 'response');
  };

  async function handleStateless(
    req: IncomingMessage,
    res: ServerResponse,
    owner: string | undefined,
  ): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendRpcError(res, 405, 'Stateless mode answers POST only: there are no sessions to stream or delete.');
      return;
    }
    const body = await readBodyOrRefuse(req, res, http.maxBodyBytes);
    if (!body) return;
    trackResponse(res);
    const server = newServer(callers.scopeFor(owner));
    // Without a sessionIdGenerator the transport is stateless: no session id is issued or expected.
    const transport = new StreamableHTTPServerTransport({});
    // A client that goes away takes its call with it: closing aborts the handler (a create's job is
    // already in the ledger and keeps being watched). A shutdown ends these by closing the connections.
    const end = async (): Promise<void> => {
      await transport.close().catch(() => {});
      await server.close().catch(() => {});
    };
    res.once('close', () => void end());
    await server.connect(transport);
    await transport.handleRequest(req, res, body.value);
  }

  async function handleStateful(
    req: IncomingMessage,
    res: ServerResponse,
    owner: string | undefined,
  ): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string' && sessionId) {
      const session = sessions.get(sessionId);
      // Another token's session is reported as unknown, so its id reveals nothing.
      if (!session || session.owner !== owner) {
        sendRpcError(
          res,
          404,
          'Session not found: it expired, was closed, or the server restarted. Start a new session with initialize.',
          { code: -32001 },
        );
        return;
      }
      let body: unknown;
      // An open GET stream only listens; it does not keep an idle session alive or block eviction.
      if (req.method === 'POST') {
        const read = await readBodyOrRefuse(req, res, http.maxBodyBytes);
        if (!read) return;
        body = read.value;
        trackResponse(res);
        res.once('close', sessions.begin(session));
      } else session.lastSeen = clock.now();
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST') {
      sendRpcError(res, 400, 'Missing mcp-session-id header: start a session with an initialize POST first.');
      return;
    }
    const read = await readBodyOrRefuse(req, res, http.maxBodyBytes);
    if (!read) return;
    if (!isInitializeRequest(read.value)) {
      sendRpcError(res, 400, 'Missing mcp-session-id header: only initialize may be sent without one.');
      return;
    }
    const room = await sessions.makeRoom(owner);
    if (room !== 'ok') {
      sendRpcError(
        res,
        503,
        room === 'owner_busy'
          ? `All ${http.maxSessionsPerToken} sessions of this token are busy (VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN); retry shortly, or end one with DELETE.`
          : `All ${http.maxSessions} sessions are busy (VIDEO_MCP_HTTP_MAX_SESSIONS); retry shortly.`,
        { headers: { 'retry-after': '5' } },
      );
      return;
    }
    trackResponse(res);
    const server = newServer(callers.scopeFor(owner));
    let session: Session | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        session = { id, owner, server, transport, lastSeen: clock.now(), active: 0 };
        sessions.add(session);
        logger.info('session opened', { session: id, owner: owner ?? null, sessions: sessions.size });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        logger.info('session closed by client', { session: id });
      },
    });
    transport.onclose = () => {
      if (session) sessions.delete(session.id);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, read.value);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID().slice(0, 8);
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let owner: string | undefined;
    res.once('close', () => {
      logger.info('http request', {
        request_id: requestId,
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        session: req.headers['mcp-session-id'] ?? res.getHeader('mcp-session-id') ?? null,
        owner: owner ?? null,
      });
    });
    if (url.pathname === '/healthz') {
      sendJson(res, shuttingDown ? 503 : 200, {
        status: shuttingDown ? 'shutting_down' : 'ok',
        version: VERSION,
        mode: options.stateless ? 'stateless' : 'stateful',
        sandbox: options.sandbox,
        sessions: sessions.size,
        in_flight: inFlight.count('response'),
        uptime_s: Math.round((clock.now() - startedAt) / 1000),
      });
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
        request_id: requestId,
        status: checked.status,
        reason: checked.message,
      });
      sendRpcError(res, checked.status, checked.message, { headers: checked.headers ?? {} });
      return;
    }
    owner = checked.owner;
    if (options.stateless) await handleStateless(req, res, owner);
    else await handleStateful(req, res, owner);
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
  const sweeper = setInterval(
    () => {
      void sessions.sweep().then((n) => {
        if (n) logger.info('idle sessions closed', { closed: n, sessions: sessions.size });
      });
    },
    Math.min(60_000, http.sessionIdleMinutes * 30_000),
  );
  sweeper.unref();
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
      clearInterval(sweeper);
      server.close();
      server.closeIdleConnections();
      logger.info('shutting down: waits hand back job ids, other calls may finish', {
        in_flight: inFlight.count('response'),
        grace_s: http.shutdownGraceSeconds,
      });
      // Waiting on a job can always be resumed by id, so waits answer at once; downloads and
      // creates get the grace period.
      callers.stopWaiting();
      await inFlight.settled(http.shutdownGraceSeconds * 1000);
      if (inFlight.size > 0)
        logger.warn('grace period over; stopping calls still running', { in_flight: inFlight.size });
      // Calls are stopped while their connections are still open, so each one answers its caller
      // (a download says its bytes are kept and a new call resumes); closing a transport first
      // would abort them in a way the SDK never answers, leaving clients to their own time-outs.
      callers.stopCalls();
      await inFlight.settled(STOPPED_CALLS_MS);
      await sessions.closeAll();
      server.closeAllConnections();
    },
  };
}
