/**
 * Reads a POST body before MCP sees it: capped in size (checked against Content-Length first, then
 * while reading), capped in nesting (scanned while reading, before any parse), parsed once, and
 * checked to be one JSON-RPC message. Batches are refused: MCP 2025-06-18 dropped JSON-RPC
 * batching, and one message per request keeps progress, cancellation and rate limits per call.
 */
import type { IncomingMessage } from 'node:http';
import { NestingScanner, parseMessage, type RpcId, TOO_DEEP } from '../jsonrpc-check.js';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code: number; message: string; id: RpcId };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    code: -32600,
    message: `Request body over ${Math.round(maxBytes / 1024 / 1024)} MB (VIDEO_MCP_HTTP_MAX_BODY_MB). Pass large media as an https URL instead of inline data.`,
    id: null,
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const scanner = new NestingScanner();
  const chunks: Buffer[] = [];
  let size = 0;
  let tooDeep = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge;
    // Once refused, the rest is only counted: the client still gets its answer after sending.
    if (tooDeep) continue;
    if (scanner.feed(chunk)) {
      tooDeep = true;
      chunks.length = 0;
    } else {
      chunks.push(chunk);
    }
  }
  if (tooDeep) return { ok: false, status: 400, ...TOO_DEEP };
  const checked = parseMessage(Buffer.concat(chunks));
  return checked.ok ? checked : { ok: false, status: 400, ...checked.refusal };
}
