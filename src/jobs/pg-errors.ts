/**
 * What a PostgreSQL failure looks like to a user: the database named without its password, the
 * driver's reason, and what to check. The URL's password is never in a message, a log or /healthz.
 */
import { UserFacingError } from '../errors.js';

/** The job database cannot be used now: unreachable, refusing the login, or failing a request. */
export class StoreError extends UserFacingError {
  override name = 'StoreError';
  constructor(
    message: string,
    /** The driver's or OS's code (ECONNREFUSED, 28P01, 57P01…), when there is one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** postgres://user@host:port/db: the URL without its password (or any other query parameter). */
export function describeDatabase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the database in VIDEO_MCP_DATABASE_URL (not a valid postgres:// URL)';
  }
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || '5432';
  const db =
    decodeURIComponent(parsed.pathname.replace(/^\//, '')) ||
    (parsed.username ? decodeURIComponent(parsed.username) : '');
  return `postgres://${user}${host}:${port}/${db}`;
}

/** Every spelling of the URL's password that could turn up in a driver's message. */
export function passwordsIn(url: string): string[] {
  try {
    const parsed = new URL(url);
    const raw = [parsed.password, parsed.searchParams.get('password') ?? ''];
    const decoded = raw.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    return [...new Set([...raw, ...decoded])].filter((p) => p.length > 0);
  } catch {
    return [];
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The driver's reason, with the password cut out should a message ever carry it. */
export function reasonOf(error: unknown, secrets: readonly string[]): string {
  const code = errorCode(error);
  let message = error instanceof Error ? error.message : String(error);
  if (!message && error instanceof AggregateError)
    message = error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ');
  let reason = code && !message.includes(code) ? `${code}: ${message}` : message;
  for (const secret of secrets) reason = reason.split(secret).join('[redacted]');
  return reason || 'no reason given';
}
