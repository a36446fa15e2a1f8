/**
 * Waiting on a job from inside a tool call: polls on the registry-informed schedule, turns each
 * update into a progress notification, and never lets a failed status check lose a job that exists.
 */
import { isTerminal, waitForJob } from '../jobs/wait-for-job.js';
import type { VideoJob } from '../together/types.js';
import type { ToolContext } from './context.js';
import { estimatedFraction } from './progress.js';
import { describeError } from './tool-error.js';

export interface WatchRequest {
  jobId: string;
  initial?: VideoJob;
  model?: string;
  waitSeconds: number;
  startedAt: number;
}

export interface WatchOutcome {
  job: VideoJob;
  /** Set when a status check failed after the job was known: the job is fine, our view is stale. */
  warning?: string;
}

export async function watchJob(ctx: ToolContext, req: WatchRequest): Promise<WatchOutcome> {
  const { deps, progress } = ctx;
  const expectedMs = deps.expectedMsFor(req.model ?? req.initial?.model);
  let last = req.initial;
  try {
    const result = await waitForJob({
      api: deps.api,
      jobId: req.jobId,
      ...(req.initial ? { initial: req.initial } : {}),
      startedAt: req.startedAt,
      expectedMs,
      ...(deps.minPollMs !== undefined ? { minPollMs: deps.minPollMs } : {}),
      waitMs: req.waitSeconds * 1000,
      clock: deps.clock,
      signal: ctx.signal,
      until: deps.stopWaiting,
      logger: ctx.logger,
      onProgress: ({ job, elapsedMs }) => {
        last = job;
        if (!progress.enabled) return;
        progress.report(
          isTerminal(job.status) ? 1 : estimatedFraction(elapsedMs, expectedMs),
          progressMessage(job, elapsedMs, expectedMs, req.model),
        );
      },
    });
    return { job: result.job };
  } catch (error) {
    if (ctx.signal.aborted || !last) throw error;
    ctx.logger.warn('status check failed while waiting; returning last known state', {
      job_id: req.jobId,
      error,
    });
    return {
      job: last,
      warning: `Checking the job's status failed (${describeError(error)}). The job itself is unaffected; check again with get_video_status.`,
    };
  }
}

function progressMessage(job: VideoJob, elapsedMs: number, expectedMs: number, model?: string): string {
  const elapsed = Math.round(elapsedMs / 1000);
  const name = job.model ?? model ?? 'the model';
  return `${job.status.replace('_', ' ')} · ${elapsed}s elapsed · ${name} typically takes ~${Math.round(expectedMs / 1000)}s`;
}
