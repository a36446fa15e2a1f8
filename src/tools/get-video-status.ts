import { z } from 'zod';
import { patchFromJob } from '../jobs/job-patch.js';
import { NotFoundError } from '../together/errors.js';
import { defineTool } from './define-tool.js';
import { assertVisibleJob, jobIdField, unknownJobError } from './job-id.js';
import { jobViewShape, summariseJob, toJobView } from './job-view.js';
import { DEFAULT_CREATE_WAIT_SECONDS, waitSecondsField } from './wait-seconds.js';
import { watchJob } from './watch-job.js';

export const getVideoStatus = defineTool({
  name: 'get_video_status',
  title: 'Get video status',
  description: "A create_video job's status; cost and video_url once completed, error if failed.",
  kind: 'read-only',
  openWorld: true,
  input: { job_id: jobIdField, wait_seconds: waitSecondsField(0) },
  output: { ...jobViewShape, warnings: z.array(z.string()) },
  async handle(args, ctx) {
    const startedAt = ctx.deps.clock.now();
    await assertVisibleJob(ctx.deps, args.job_id);
    let outcome: Awaited<ReturnType<typeof watchJob>>;
    try {
      outcome = await watchJob(ctx, { jobId: args.job_id, waitSeconds: args.wait_seconds, startedAt });
    } catch (error) {
      if (error instanceof NotFoundError) throw unknownJobError(args.job_id, ctx.deps);
      throw error;
    }
    await ctx.deps.ledger.record(outcome.job.id, patchFromJob(outcome.job));
    const view = toJobView(outcome.job, {
      sandbox: ctx.deps.sandbox,
      waitHint: DEFAULT_CREATE_WAIT_SECONDS,
    });
    const warnings = outcome.warning ? [outcome.warning] : [];
    return {
      structured: { ...view, warnings },
      text: summariseJob(view) + (outcome.warning ? ` ${outcome.warning}` : ''),
    };
  },
});
