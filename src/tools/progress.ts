/**
 * Progress notifications. Sent only when the request carried a progress token; `progress` must
 * strictly increase, and some clients (Claude Code) reset their time-out on each one, so a long
 * wait stays alive as long as we keep reporting.
 */
import type { ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from '../log.js';
import type { ProgressSink } from './context.js';

const TOTAL = 100;
const round = (n: number): number => Math.round(n * 1000) / 1000;

export function createProgressSink(request: ServerContext['mcpReq'], logger: Logger): ProgressSink {
  const token = request._meta?.progressToken;
  if (token === undefined) return { enabled: false, report: () => {} };
  let last = -1;
  return {
    enabled: true,
    report(fraction, message) {
      // Rounded before comparing, so what the client sees is what strictly increases.
      let progress = round(Math.min(TOTAL, Math.max(0, fraction * TOTAL)));
      if (progress <= last) progress = round(Math.min(TOTAL, last + 0.001));
      if (progress <= last) return;
      last = progress;
      request
        .notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress, total: TOTAL, message },
        })
        .catch((error: unknown) => logger.debug('progress notification not delivered', { error }));
    },
  };
}

/**
 * Maps elapsed time onto [0, 0.99): linear to 90% at the model's typical time, then creeping
 * towards 99% so an overrunning job still shows movement without ever claiming to be done.
 */
export function estimatedFraction(elapsedMs: number, expectedMs: number): number {
  const r = Math.max(0, elapsedMs) / Math.max(1, expectedMs);
  if (r <= 1) return 0.9 * r;
  return 0.9 + 0.09 * (1 - Math.exp(-(r - 1) * 2));
}
