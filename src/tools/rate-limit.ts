/** A sliding one-minute window per key (an HTTP token's owner id): paid creates stay within budget. */
import type { Clock } from '../clock.js';

export interface RateLimiter {
  /**
   * Undefined when allowed (and counted, unless `count` is false); otherwise the seconds until the
   * next call is allowed.
   */
  take(key: string, count?: boolean): number | undefined;
}

export function createRateLimiter(perMinute: number, clock: Clock): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    take(key, count = true) {
      const now = clock.now();
      const recent = (windows.get(key) ?? []).filter((t) => now - t < 60_000);
      if (recent.length >= perMinute) {
        windows.set(key, recent);
        return Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
      }
      if (count) recent.push(now);
      windows.set(key, recent);
      return undefined;
    },
  };
}
