/**
 * Requests served by a fresh MCP server each, through the SDK's handler: every 2026-07-28 request
 * (no sessions: any replica can answer any request), and 2025-era POSTs in `--stateless` mode.
 * The SDK checks the 2026 headers (MCP-Protocol-Version, Mcp-Method, Mcp-Name) against the body;
 * Host, Origin, tokens and body limits were checked before a request gets here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { Logger } from '../../log.js';
import type { ServerFactory } from '../../server.js';
import type { RemoteCallers } from '../../tools/caller-scope.js';

export interface PerRequestServing {
  /** Serves one POST whose body was read and checked; `owner` is the caller the guard let in. */
  handle(req: IncomingMessage, res: ServerResponse, owner: string | undefined, body: unknown): Promise<void>;
  /** Aborts what is still running and closes its servers. */
  close(): Promise<void>;
}

/** Whether a POST speaks 2025 (no per-request `_meta` version claim), decided by the SDK's own rule. */
export function isLegacyPost(req: IncomingMessage, body: unknown): Promise<boolean> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return isLegacyRequest(new Request('http://localhost/mcp', { method: 'POST', headers }), body);
}

export function perRequestServing(
  newServer: ServerFactory,
  callers: RemoteCallers,
  logger: Logger,
): PerRequestServing {
  // The owner travels as the SDK's pass-through auth info; it names the token, it is not the token.
  const handler = createMcpHandler(({ authInfo }) => newServer(callers.scopeFor(authInfo?.clientId)), {
    legacy: 'stateless',
    onerror: (error) => logger.debug('mcp request refused or failed', { error }),
  });
  const serve = toNodeHandler(handler, {
    onerror: (error) => logger.error('mcp handler failed', { error }),
  });
  return {
    async handle(req, res, owner, body) {
      const auth: AuthInfo | undefined =
        owner === undefined ? undefined : { token: owner, clientId: owner, scopes: [] };
      // The body was read and checked already; the SDK gets it parsed and never reads the stream.
      const request = {
        method: 'POST',
        url: req.url ?? '/mcp',
        headers: req.headers,
        ...(auth ? { auth } : {}),
        [Symbol.asyncIterator]: () => req[Symbol.asyncIterator](),
      };
      await serve(request, res, body);
    },
    close: () => handler.close(),
  };
}
