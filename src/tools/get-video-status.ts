import { z } from 'zod';
import { jobFromRecord, patchFromJob } from '../jobs/job-patch.js';
import { NotFoundError, TogetherApiError } from '../together/errors.js';
import type { ToolContext } from './context.js';
import { defineTool } from './define-tool.js';
import { assertVisibleJob, jobIdField, unknownJobError } from './job-id.js';
import { jobViewShape, summariseJob, toJobView } from './job-view.js';
import { describeError } from './tool-error.js';
import { DEFAULT_CREATE_WAIT_SECONDS, waitSecondsField } from './wait-seconds.js';
import { type WatchOutcome, watchJob } from './watch-job.js';

export const getVideoStatus = defineTool({
  name: 'get_video_status',
  title: 'Get video status',
  description: "A create_video job's status; cost and video_url once done, error if failed.",
  kind: 'read-only',
  openWorld: true,
  input: { job_id: jobIdField, wait_seconds: waitSecondsField(0) },
  output: { ...jobViewShape, warnings: z.array(z.string()) },
  async handle(args, ctx) {
    const startedAt = ctx.deps.clock.now();
    await assertVisibleJob(ctx.deps, args.job_id);
    let outcome: WatchOutcome;
    let fresh = true;
    try {
      outcome = await watchJob(ctx, { jobId: args.job_id, waitSeconds: args.wait_seconds, startedAt });
    } catch (error) {
      if (error instanceof NotFoundError) throw unknownJobError(args.job_id, ctx.deps);
      const known = await lastKnown(ctx, args.job_id, error);
      if (!known) throw error;
      outcome = known;
      fresh = false;
    }
    const warnings = outcome.warning ? [outcome.warning] : [];
    if (fresh) {
      // Together answered; a ledger that cannot take the update loses only this note, not the answer.
      await ctx.deps.ledger.record(outcome.job.id, patchFromJob(outcome.job)).catch((error: unknown) => {
        ctx.logger.warn('could not record the job status in the ledger', { job_id: outcome.job.id, error });
        warnings.push(`The ledger could not record this status: ${describeError(error)}`);
      });
    }
    if (fresh && outcome.job.status === 'completed') ctx.deps.jobCompleted(outcome.job.id);
    const view = toJobView(outcome.job, { sandbox: ctx.deps.sandbox, waitHint: DEFAULT_CREATE_WAIT_SECONDS });
    return {
      structured: { ...view, warnings },
      text: summariseJob(view) + (warnings.length ? ` ${warnings.join(' ')}` : ''),
    };
  },
});

/**
 * When Together cannot be asked (down, overloaded, unreachable), the ledger's last record of the job,
 * with a warning that says how old it is. Undefined when the ledger has nothing for it either.
 */
async function lastKnown(ctx: ToolContext, jobId: string, error: unknown): Promise<WatchOutcome | undefined> {
  if (ctx.signal.aborted || !(error instanceof TogetherApiError)) return undefined;
  const record = await ctx.deps.ledger.get(jobId).catch(() => undefined);
  if (!record || record.key.startsWith('local:')) return undefined;
  ctx.logger.warn("status check failed; answering the ledger's last known state", { job_id: jobId, error });
  return {
    job: jobFromRecord(record),
    warning:
      `Checking the job's status failed (${describeError(error)}). This is its last known state, recorded ` +
      `${record.updated_at}; the job itself is unaffected. Check again later with get_video_status.`,
  };
}
