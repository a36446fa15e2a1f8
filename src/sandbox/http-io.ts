/**
 * Reading requests and writing answers for the emulator. Every answer goes through `sendBytes`, so a
 * fault that shapes an answer instead of replacing it (truncate, drop-after-accept) works on every route.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FaultRule } from './faults.js';
import type { RecordedRequest } from './types.js';

/** One request in flight, with the fault (if any) that shapes its answer. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  record: RecordedRequest;
  /** Origin as the client reached us (Host header), so links work behind 0.0.0.0 or a container name. */
  origin: string;
  fault?: FaultRule;
}

/** The v1 `ErrorData` shape Together uses for API errors; `param` names the field at fault. */
export function apiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/**
 * Together states no request size limit. The largest create this server sends is 100 MB of media
 * as base64 (4/3 larger, ~133.4 MiB) plus the rest of the request, so the emulator takes 136 MiB:
 * anything our client may send reaches the emulator whole, as it would reach Together.
 */
const MAX_BODY_BYTES = 136 * 1024 * 1024;

/** The body as text, or undefined when it was over the limit (read to the end, kept no further). */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += piece.length;
    // Keep reading (so the client sees an answer, not a reset) but stop keeping what we cannot use.
    if (size <= MAX_BODY_BYTES) chunks.push(piece);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

export const BODY_TOO_LARGE = apiError(
  `Request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB.`,
  'invalid_request_error',
  'request_too_large',
);

/** Sends `piece` (possibly nothing but the headers), then cuts the connection once it has left. */
export function cutAfter(res: ServerResponse, piece: Buffer): void {
  res.write(piece, () => {
    // A tick more lets the bytes leave the process before the socket dies, as a mid-transfer drop would.
    setImmediate(() => res.destroy());
  });
}

export function sendBytes(ex: Exchange, status: number, headers: OutgoingHttpHeaders, bytes: Buffer): void {
  const { res, fault } = ex;
  if (fault?.kind === 'drop-after-accept' || fault?.kind === 'drop') {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': bytes.length });
  const cut = fault?.kind === 'truncate' ? (fault.afterBytes ?? 0) : undefined;
  if (cut !== undefined && cut < bytes.length && ex.req.method !== 'HEAD') {
    cutAfter(res, bytes.subarray(0, cut));
    return;
  }
  res.end(ex.req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendBytes(
    ex,
    status,
    { 'content-type': 'application/json', ...headers },
    Buffer.from(JSON.stringify(body)),
  );
}

export function sendText(ex: Exchange, status: number, contentType: string, text: string): void {
  sendBytes(ex, status, { 'content-type': contentType }, Buffer.from(text));
}
