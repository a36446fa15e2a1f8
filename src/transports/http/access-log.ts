/** One JSON log line per HTTP request when it ends, with an id also sent as `x-request-id`. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';

export interface LogEntry {
  id: string;
  /** The token's id once the guard named it (never the token). */
  owner?: string | undefined;
}

export function logRequest(req: IncomingMessage, res: ServerResponse, url: URL, logger: Logger): LogEntry {
  const entry: LogEntry = { id: randomUUID().slice(0, 8) };
  res.setHeader('x-request-id', entry.id);
  const started = performance.now();
  res.once('close', () => {
    logger.info('http request', {
      request_id: entry.id,
      method: req.method,
      path: url.pathname,
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
      session: req.headers['mcp-session-id'] ?? res.getHeader('mcp-session-id') ?? null,
      owner: entry.owner ?? null,
    });
  });
  return entry;
}
