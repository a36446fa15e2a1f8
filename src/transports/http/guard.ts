/**
 * The checks every /mcp request passes before it reaches MCP: no credentials in the URL, a Host we
 * serve (DNS-rebinding protection), an Origin we trust (browsers), and a valid bearer token when
 * tokens are configured. Tokens are compared in constant time, through their SHA-256 digests so
 * that differing lengths take the same time too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HttpConfig } from '../../config.js';
import { ownerIdOf } from '../../jobs/ownership.js';

export interface GuardConfig {
  tokens: readonly string[];
  /** Host names (no port) accepted; undefined accepts any (bound beyond loopback, behind a proxy). */
  allowedHosts: ReadonlySet<string> | undefined;
  allowedOrigins: ReadonlySet<string>;
}

export type GuardResult =
  | { ok: true; owner?: string }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const QUERY_SECRETS = /^(access_token|token|api_key|apikey|key|auth|authorization|bearer)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The name part of a Host header: `localhost:3000` -> `localhost`, `[::1]:3000` -> `[::1]`. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

export function guardConfig(http: HttpConfig, bindHost: string): GuardConfig {
  const allowedHosts = http.allowedHosts.length
    ? new Set(http.allowedHosts.map(hostName))
    : isLoopbackHost(bindHost)
      ? LOOPBACK_NAMES
      : undefined;
  return {
    tokens: http.tokens,
    allowedHosts,
    allowedOrigins: new Set(http.allowedOrigins.map((o) => o.toLowerCase())),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The owner id of the matching token, comparing against every token so timing reveals nothing. */
function matchToken(presented: string, tokens: readonly string[]): string | undefined {
  const got = digest(presented);
  let match: string | undefined;
  for (const token of tokens) {
    if (timingSafeEqual(got, digest(token)) && match === undefined) match = token;
  }
  return match === undefined ? undefined : ownerIdOf(match);
}

function originAllowed(origin: string, config: GuardConfig): boolean {
  if (config.allowedOrigins.has(origin.toLowerCase())) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

export function guardRequest(req: IncomingMessage, url: URL, config: GuardConfig): GuardResult {
  for (const name of url.searchParams.keys()) {
    if (QUERY_SECRETS.test(name)) {
      return {
        ok: false,
        status: 400,
        message: `Credentials are not accepted in the URL ("${name}" query parameter): URLs end up in logs and histories. Send "Authorization: Bearer <token>" instead.`,
      };
    }
  }
  const host = req.headers.host;
  if (config.allowedHosts && (!host || !config.allowedHosts.has(hostName(host)))) {
    return {
      ok: false,
      status: 403,
      message: `Host "${host ?? ''}" is not served here (DNS-rebinding protection). Allowed: ${[...config.allowedHosts].join(', ')}; set VIDEO_MCP_HTTP_ALLOWED_HOSTS to add names.`,
    };
  }
  const origin = req.headers.origin;
  if (origin === 'null') {
    return { ok: false, status: 403, message: 'Origin "null" (a sandboxed page or file) is not allowed.' };
  }
  if (origin !== undefined && !originAllowed(origin, config)) {
    return {
      ok: false,
      status: 403,
      message: `Origin "${origin}" is not allowed. Loopback origins are; add others with VIDEO_MCP_HTTP_ALLOWED_ORIGINS.`,
    };
  }
  if (config.tokens.length === 0) return { ok: true };
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  const owner = m?.[1] ? matchToken(m[1], config.tokens) : undefined;
  if (!owner) {
    return {
      ok: false,
      status: 401,
      message: auth
        ? 'The bearer token is not valid for this server.'
        : 'This server needs "Authorization: Bearer <token>" (the value of VIDEO_MCP_HTTP_TOKEN).',
      headers: { 'www-authenticate': 'Bearer realm="together-video-mcp"' },
    };
  }
  return { ok: true, owner };
}
