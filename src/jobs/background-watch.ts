/**
 * Watches jobs nobody is waiting on any more: those still running when a call returned, and, after a
 * restart, those the ledger says were unfinished. Each finish is written to the ledger; with
 * auto-download the video is saved at once, so an expiring URL is never the only copy.
 *
 * In a shared store (PostgreSQL) each job has one watcher in the fleet: a watch is a lease this
 * process renews while it runs, and every process looks now and then for jobs whose watcher's lease
 * lapsed (it died) and takes them over, so status polling is not multiplied by the replicas.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { TogetherVideoApi } from '../together/types.js';
import { patchFromJob } from './job-patch.js';
import type { JobStore } from './job-store.js';
import { waitForJob } from './wait-for-job.js';

export interface BackgroundWatchOptions {
  api: TogetherVideoApi;
  ledger: JobStore;
  clock: Clock;
  logger: Logger;
  expectedMsFor(modelId: string | undefined): number;
  minPollMs?: number;
  /** In a shared store: how often leases are renewed and lapsed ones looked for (default 10 s). */
  leaseTickMs?: number;
  /** Also run at each lease tick (marking creates a dead replica left unfinished). */
  onLeaseTick?: () => Promise<unknown>;
  /** Called once a watched job completes (auto-download). */
  onCompleted?: (jobId: string) => Promise<void>;
}

export interface BackgroundWatcher {
  watch(jobId: string, model: string | undefined): void;
  /**
   * Takes the watch of a job a call is waiting on (a create's wait), so no other replica starts a
   * background watch of it meanwhile; kept while held. The returned function lets it go.
   */
  hold(jobId: string): Promise<() => Promise<void>>;
  /** Starts watching every unfinished job in the ledger; returns how many. */
  resume(): Promise<number>;
  /** Stops every watch and waits for them to end. */
  close(): Promise<void>;
}

/** After a failed poll or a store that would not take the record (a database restarting): soon, not at once. */
const RETRY_AFTER_ERROR_MS = 10_000;
/** How often a shared store's leases are renewed, and lapsed ones looked for (well inside a lease). */
const LEASE_TICK_MS = 10_000;
/** Give up on a job after this long; it stays in the ledger as it was last seen. */
const MAX_WATCH_MS = 6 * 60 * 60 * 1000;

export function createBackgroundWatcher(options: BackgroundWatchOptions): BackgroundWatcher {
  const controller = new AbortController();
  // Every watched job waits on this one signal at once; hundreds of listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const running = new Map<string, Promise<void>>();

  async function follow(jobId: string, model: string | undefined): Promise<void> {
    const { clock, logger } = options;
    const giveUpAt = clock.now() + MAX_WATCH_MS;
    while (!controller.signal.aborted && clock.now() < giveUpAt) {
      try {
        const { job, finished } = await waitForJob({
          api: options.api,
          jobId,
          expectedMs: options.expectedMsFor(model),
          ...(options.minPollMs !== undefined ? { minPollMs: options.minPollMs } : {}),
          waitMs: giveUpAt - clock.now(),
          clock,
          signal: controller.signal,
          logger,
        });
        await options.ledger.record(job.id, patchFromJob(job));
        if (!finished) return;
        logger.info('background job finished', { job_id: jobId, status: job.status });
        if (job.status === 'completed' && options.onCompleted) await options.onCompleted(jobId);
        return;
      } catch (error) {
        if (controller.signal.aborted) return;
        logger.warn('background watch failed; will retry', { job_id: jobId, error });
        await clock.sleep(RETRY_AFTER_ERROR_MS, controller.signal).catch(() => {});
      }
    }
  }

  /** A job this process already holds (claimed by claimUnwatched): followed, then released. */
  function follows(jobId: string, model: string | undefined): void {
    if (running.has(jobId) || controller.signal.aborted) return;
    const task = follow(jobId, model)
      .finally(() => options.ledger.releaseWatch(jobId).catch(() => {}))
      .finally(() => running.delete(jobId));
    running.set(jobId, task);
  }

  let tick: NodeJS.Timeout | undefined;
  const held = new Set<string>();
  /** Keeps this process's leases and takes over jobs whose watcher's lease lapsed. */
  async function leaseTick(): Promise<void> {
    try {
      await options.ledger.renewWatches([...running.keys(), ...held]);
      // Jobs this process already follows come back too (their leases are its own): only new ones count.
      const orphans = (await options.ledger.claimUnwatched()).filter((job) => !running.has(job.key));
      for (const job of orphans) follows(job.key, job.model);
      if (orphans.length) options.logger.info('took over unwatched jobs', { count: orphans.length });
      await options.onLeaseTick?.();
    } catch (error) {
      options.logger.warn('could not renew or take over job watches; will retry', { error });
    }
  }

  const watcher: BackgroundWatcher = {
    watch(jobId, model) {
      if (running.has(jobId) || controller.signal.aborted) return;
      const task = (async () => {
        if (!(await options.ledger.claimWatch(jobId).catch(() => false))) return;
        try {
          await follow(jobId, model);
        } finally {
          await options.ledger.releaseWatch(jobId).catch(() => {});
        }
      })().finally(() => running.delete(jobId));
      running.set(jobId, task);
    },
    async hold(jobId) {
      if (!options.ledger.shared) return async () => {};
      if (!(await options.ledger.claimWatch(jobId).catch(() => false))) return async () => {};
      held.add(jobId);
      return async () => {
        held.delete(jobId);
        if (!running.has(jobId)) await options.ledger.releaseWatch(jobId).catch(() => {});
      };
    },
    async resume() {
      const unfinished = await options.ledger.claimUnwatched();
      for (const job of unfinished) follows(job.key, job.model);
      if (unfinished.length)
        options.logger.info('resumed watching unfinished jobs', { count: unfinished.length });
      if (options.ledger.shared)
        tick ??= setInterval(() => void leaseTick(), options.leaseTickMs ?? LEASE_TICK_MS).unref();
      return unfinished.length;
    },
    async close() {
      controller.abort();
      if (tick) clearInterval(tick);
      await Promise.allSettled(running.values());
    },
  };
  return watcher;
}
