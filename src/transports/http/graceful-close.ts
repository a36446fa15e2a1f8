/**
 * What a shutdown owes calls still running: waits answer at once with their job ids (a wait can
 * always be resumed by id), downloads and creates get the grace period, then whatever is left is
 * stopped while its connection is still open, so it still answers its caller.
 */
import type { Server } from 'node:http';
import type { Logger } from '../../log.js';
import type { RemoteCallers } from '../../tools/caller-scope.js';

/**
 * After the grace period, how long stopped calls get to answer while their connections are still
 * open, and one that ignores the stop (a create recording its job) to finish its writes.
 */
const STOPPED_CALLS_MS = 10_000;

export async function closeGracefully(
  parts: { server: Server; callers: RemoteCallers; graceSeconds: number; logger: Logger },
  closeServing: () => Promise<void>,
): Promise<void> {
  const { server, callers, graceSeconds, logger } = parts;
  const { inFlight } = callers;
  server.close();
  server.closeIdleConnections();
  logger.info('shutting down: waits hand back job ids, other calls may finish', {
    in_flight: inFlight.count('response'),
    grace_s: graceSeconds,
  });
  callers.stopWaiting();
  await inFlight.settled(graceSeconds * 1000);
  if (inFlight.size > 0)
    logger.warn('grace period over; stopping calls still running', { in_flight: inFlight.size });
  // Closing a transport first would abort calls in a way the SDK never answers, leaving clients to
  // their own time-outs; stopped calls answer (a download says its bytes are kept and a new call resumes).
  callers.stopCalls();
  await inFlight.settled(STOPPED_CALLS_MS);
  await closeServing();
  server.closeAllConnections();
}
