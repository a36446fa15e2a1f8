/**
 * Waits for a video job to finish, within a deadline, reporting progress as it goes. The job keeps
 * running on Together's side whatever happens here: running out of time or being cancelled only
 * stops the watching, and the caller still has the job id.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { TERMINAL_STATUSES, type TogetherVideoApi, type VideoJob } from '../together/types.js';
import { nextPollDelayMs } from './schedule.js';

interface WaitProgress {
  job: VideoJob;
  elapsedMs: number;
  expectedMs: number;
}

export interface WaitOptions {
  api: TogetherVideoApi;
  jobId: string;
  /** The job as last seen, if the caller already has it (e.g. from create). */
  initial?: VideoJob;
  /** When the job started, for elapsed-time reporting; defaults to now. */
  startedAt?: number;
  expectedMs: number;
  /** Floor for the gap between polls (default 2 s). */
  minPollMs?: number;
  /** How long to watch, from now. */
  waitMs: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Ends the wait early, as if it had run out (the server is shutting down); `signal` cancels it. */
  until?: AbortSignal;
  logger?: Logger;
  /** Called at every poll and at least every HEARTBEAT_MS while waiting. */
  onProgress?: (progress: WaitProgress) => void;
}

export interface WaitResult {
  job: VideoJob;
  /** True when the job reached a terminal status. */
  finished: boolean;
  polls: number;
}

/** Progress is reported at least this often, so clients that reset their time-out on progress stay patient. */
const HEARTBEAT_MS = 5_000;

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export async function waitForJob(options: WaitOptions): Promise<WaitResult> {
  const { api, jobId, clock, signal, expectedMs } = options;
  const schedule = {
    expectedMs,
    ...(options.minPollMs !== undefined ? { minDelayMs: options.minPollMs } : {}),
  };
  const now = clock.now();
  const startedAt = options.startedAt ?? now;
  const deadline = now + options.waitMs;
  let job = options.initial ?? (await api.retrieveVideo(jobId, signalOption(signal)));
  let polls = options.initial ? 0 : 1;
  const report = (): void => options.onProgress?.({ job, elapsedMs: clock.now() - startedAt, expectedMs });

  report();
  const sleepSignal =
    options.until && signal ? AbortSignal.any([signal, options.until]) : (options.until ?? signal);
  while (!isTerminal(job.status)) {
    const left = deadline - clock.now();
    if (left <= 0 || options.until?.aborted) break;
    const delay = Math.min(nextPollDelayMs(clock.now() - startedAt, schedule), left);
    const pollAt = clock.now() + delay;
    // Sleep in heartbeat-sized slices, reporting between them.
    try {
      for (let slice = pollAt - clock.now(); slice > 0; slice = pollAt - clock.now()) {
        await clock.sleep(Math.min(slice, HEARTBEAT_MS), sleepSignal);
        if (clock.now() < pollAt) report();
      }
    } catch (error) {
      if (signal?.aborted || !options.until?.aborted) throw error;
      break;
    }
    job = await api.retrieveVideo(jobId, signalOption(signal));
    polls += 1;
    options.logger?.debug('polled job', { job_id: jobId, status: job.status, polls });
    report();
  }
  return { job, finished: isTerminal(job.status), polls };
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
