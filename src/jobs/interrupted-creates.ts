/**
 * Creates that a stopped process left `submitting`: the paid POST was on its way (its intent is
 * recorded before it is sent) when the process died, so nobody will ever hear Together's answer. At
 * start they become `unknown`, with the advice README promises, instead of `submitting` forever.
 */
import type { Logger } from '../log.js';
import type { JobStore } from './job-store.js';

const INTERRUPTED_CREATE_ADVICE =
  'The server stopped while this create was being sent, so the answer never arrived. ' +
  "The video may exist and be charged: check Together's dashboard before creating it again.";

/**
 * Marks the `submitting` records nobody will answer as `unknown`: with the file ledger those written
 * before `startedAt` (this process's start); in a shared store only those of replicas that are gone, so
 * another replica's create in flight is left alone. If an answer comes after all, its job record
 * replaces this note (the store drops the stale error then).
 */
export async function markInterruptedCreates(
  ledger: JobStore,
  startedAt: number,
  logger: Logger,
): Promise<number> {
  const marked: string[] = [];
  for (const job of await ledger.interruptedCreates(startedAt)) {
    const patch = { status: 'unknown', error: { message: INTERRUPTED_CREATE_ADVICE } };
    if (await ledger.markInterrupted(job.key, patch)) marked.push(job.key);
  }
  if (marked.length)
    logger.warn('creates cut short by a stop are marked unknown: they may exist and be charged', {
      local_ids: marked,
    });
  return marked.length;
}
