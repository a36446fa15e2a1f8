/**
 * 2025-era clients with sessions (the default): initialize opens a session with its own MCP server
 * and transport, later requests carry its `Mcp-Session-Id`, progress streams over SSE, a GET stream
 * listens, DELETE ends it, and sessions idle past the limit are closed.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import type { Clock } from '../../clock.js';
import type { HttpConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { ServerFactory } from '../../server.js';
import type { RemoteCallers } from '../../tools/caller-scope.js';
import { sendRpcError } from './reply.js';
import { type Session, SessionStore } from './sessions.js';

export interface LegacySessions {
  /** Serves one /mcp request of a 2025-era client: a POST (with its body, read and checked), a GET or a DELETE. */
  handle(req: IncomingMessage, res: ServerResponse, owner: string | undefined, body?: unknown): Promise<void>;
  readonly size: number;
  closeAll(): Promise<void>;
}

export function legacySessions(
  newServer: ServerFactory,
  callers: RemoteCallers,
  options: { http: HttpConfig; clock: Clock; logger: Logger; trackResponse: (res: ServerResponse) => void },
): LegacySessions {
  const { http, clock, logger, trackResponse } = options;
  const sessions = new SessionStore({
    maxSessions: http.maxSessions,
    maxPerOwner: http.maxSessionsPerToken,
    idleMs: http.sessionIdleMinutes * 60_000,
    now: () => clock.now(),
  });
  const sweeper = setInterval(
    () => {
      void sessions.sweep().then((n) => {
        if (n) logger.info('idle sessions closed', { closed: n, sessions: sessions.size });
      });
    },
    Math.min(60_000, http.sessionIdleMinutes * 30_000),
  );
  sweeper.unref();

  async function resume(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session,
    body: unknown,
  ): Promise<void> {
    // An open GET stream only listens; it does not keep an idle session alive or block eviction.
    if (req.method === 'POST') {
      trackResponse(res);
      res.once('close', sessions.begin(session));
    } else session.lastSeen = clock.now();
    await session.transport.handleRequest(req, res, body);
  }

  async function open(
    req: IncomingMessage,
    res: ServerResponse,
    owner: string | undefined,
    body: unknown,
  ): Promise<void> {
    if (!isInitializeRequest(body)) {
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
    const transport = new NodeStreamableHTTPServerTransport({
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
    await transport.handleRequest(req, res, body);
  }

  return {
    get size() {
      return sessions.size;
    },
    async handle(req, res, owner, body) {
      const sessionId = req.headers['mcp-session-id'];
      if (typeof sessionId === 'string' && sessionId) {
        const session = sessions.get(sessionId);
        // Another token's session is reported as unknown, so its id reveals nothing.
        if (session && session.owner === owner) return resume(req, res, session, body);
        sendRpcError(
          res,
          404,
          'Session not found: it expired, was closed, or the server restarted. Start a new session with initialize.',
          { code: -32001 },
        );
        return;
      }
      if (req.method !== 'POST') {
        sendRpcError(
          res,
          400,
          'Missing mcp-session-id header: start a session with an initialize POST first.',
        );
        return;
      }
      await open(req, res, owner, body);
    },
    async closeAll() {
      clearInterval(sweeper);
      await sessions.closeAll();
    },
  };
}
