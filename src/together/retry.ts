/**
 * Retry policy. GETs are safe to repeat; the paid create is not: Together has no idempotency key,
 * so a create is repeated only when the API provably did not accept it (429, 503, or a connection
 * that failed before any byte was sent). Everything else could mean a second paid video.
 */
import { ConnectionError, TimeoutError, type TogetherApiError } from './errors.js';

/** undici/Node codes for failures that happen before a request is written to a socket. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CONNECT',
]);

const MAX_RETRY_AFTER_MS = 60_000;

/** True when an error proves the request never reached the server. */
export function neverSent(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}

export function shouldRetry(method: 'GET' | 'POST', error: TogetherApiError, sent: boolean): boolean {
  if (method === 'POST') {
    if (error.status === 429 || error.status === 503) return true;
    return error instanceof ConnectionError && !sent;
  }
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  const status = error.status ?? 0;
  return status === 408 || status === 429 || status >= 500;
}

/** Parses Retry-After (seconds or an HTTP date) and retry-after-ms; undefined when absent or unusable. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): number | undefined {
  const first = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ms = Number(first('retry-after-ms'));
  if (first('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0)
    return Math.min(ms, MAX_RETRY_AFTER_MS);
  const raw = first('retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/** Back-off for retry number `attempt` (0-based): the server's wish if given, else capped exponential with jitter. */
export function retryDelayMs(
  attempt: number,
  serverMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (serverMs !== undefined) return serverMs;
  const base = Math.min(500 * 2 ** attempt, 8_000);
  return Math.round(base * (1 - 0.25 * random()));
}
