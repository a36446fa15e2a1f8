/** One GET that follows redirects itself, so each hop gets the same deadline and idle time-out. */
import type { Dispatcher } from 'undici';

export interface FetchOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
  idleTimeoutMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export async function fetchFollowingRedirects(
  url: string,
  options: FetchOptions,
): Promise<Dispatcher.ResponseData> {
  // Loaded at the first request, not at start-up (src/bin/startup-tricks.ts).
  const { request } = await import('undici');
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await request(current, {
      method: 'GET',
      headers: options.headers,
      signal: options.signal,
      headersTimeout: options.idleTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
    });
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode) || typeof location !== 'string') return response;
    await response.body.dump();
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    current = new URL(location, current).href;
  }
}
