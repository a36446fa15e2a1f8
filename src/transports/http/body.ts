/**
 * Reads a POST body before MCP sees it: capped in size (checked against Content-Length first, then
 * while reading), parsed once, and batches refused: MCP 2025-06-18 dropped JSON-RPC batching, and
 * one message per request keeps progress, cancellation and rate limits per call.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code: number; message: string };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    code: -32600,
    message: `Request body over ${Math.round(maxBytes / 1024 / 1024)} MB (VIDEO_MCP_HTTP_MAX_BODY_MB). Pass large media as an https URL instead of inline data.`,
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge;
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: the body is not valid JSON.' };
  }
  if (Array.isArray(value)) {
    return {
      ok: false,
      status: 400,
      code: -32600,
      message:
        'Batch requests are not supported (MCP 2025-06-18 removed JSON-RPC batching): send one message per request.',
    };
  }
  if (typeof value !== 'object' || value === null || (value as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
    return {
      ok: false,
      status: 400,
      code: -32600,
      message: 'Invalid request: expected one JSON-RPC 2.0 message object.',
    };
  }
  return { ok: true, value };
}
