/** How /mcp and /healthz answer on their own (refusals, health): JSON bodies and JSON-RPC errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcId } from '../jsonrpc-check.js';
import { readJsonBody } from './body.js';

export function sendJson(
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
export function sendRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  options: { code?: number; headers?: Record<string, string>; id?: RpcId } = {},
): void {
  const { code = -32000, headers = {}, id = null } = options;
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id }, headers);
}

/** The parsed JSON-RPC message, or undefined once a refusal (too large or deep, not JSON, not a message) was sent. */
export async function readBodyOrRefuse(
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
