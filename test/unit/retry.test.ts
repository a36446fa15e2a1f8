import { describe, expect, it } from 'vitest';
import { ConnectionError, errorForStatus, TimeoutError } from '../../src/together/errors.js';
import { neverSent, retryAfterMs, retryDelayMs, shouldRetry } from '../../src/together/retry.js';

const status = (s: number) => errorForStatus(s, {});

describe('retry policy', () => {
  it('retries GETs on connection errors, time-outs, 408, 429 and 5xx only', () => {
    expect(shouldRetry('GET', new ConnectionError('x'), true)).toBe(true);
    expect(shouldRetry('GET', new TimeoutError('x'), true)).toBe(true);
    for (const s of [408, 429, 500, 502, 503]) expect(shouldRetry('GET', status(s), true)).toBe(true);
    for (const s of [400, 401, 402, 403, 404]) expect(shouldRetry('GET', status(s), true)).toBe(false);
  });

  it('retries the paid POST only when Together provably did not accept it', () => {
    expect(shouldRetry('POST', status(429), true)).toBe(true);
    expect(shouldRetry('POST', status(503), true)).toBe(true);
    expect(shouldRetry('POST', status(500), true)).toBe(false);
    expect(shouldRetry('POST', status(502), true)).toBe(false);
    expect(shouldRetry('POST', new TimeoutError('x'), true)).toBe(false);
    expect(shouldRetry('POST', new ConnectionError('x'), true)).toBe(false);
    expect(shouldRetry('POST', new ConnectionError('x'), false)).toBe(true);
  });

  it('knows a refused connection was never sent, through nested causes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(neverSent(new Error('fetch failed', { cause: refused }))).toBe(true);
    expect(neverSent(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false);
  });

  it('reads Retry-After as seconds, an HTTP date or retry-after-ms, capped at 60 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after-ms': '250' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '3600' }, now)).toBe(60_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped at 8 s, unless the server said when', () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(375);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(4000);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(8000);
    expect(retryDelayMs(2, 1234, () => 0)).toBe(1234);
  });
});
