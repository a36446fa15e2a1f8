import { z } from 'zod';
import { createVideoFields } from '../models/schema.js';
import { validateCreateVideo } from '../models/validate.js';
import { defineTool } from './define-tool.js';
import { jobViewShape, summariseJob, toJobView } from './job-view.js';
import { ToolInputError } from './tool-error.js';
import { DEFAULT_CREATE_WAIT_SECONDS, waitSecondsField } from './wait-seconds.js';
import { watchJob } from './watch-job.js';

export const createVideo = defineTool({
  name: 'create_video',
  title: 'Create video',
  description:
    'Generate a video with a Together AI model (paid). The request is checked against the model first; a refused ' +
    'request costs nothing. Waits up to wait_seconds with progress, then returns the job (video_url expires; cost in ' +
    'USD) or its job_id for get_video_status. sandbox: true means a free emulated video.',
  kind: 'action',
  openWorld: true,
  input: { ...createVideoFields, wait_seconds: waitSecondsField(DEFAULT_CREATE_WAIT_SECONDS) },
  output: {
    ...jobViewShape,
    estimated_cost_usd: z.number().optional(),
    warnings: z.array(z.string()),
  },
  async handle(args, ctx) {
    const { wait_seconds: waitSeconds, ...fields } = args;
    const checked = validateCreateVideo(fields, { allowUnknownModels: ctx.deps.allowUnknownModels });
    if (!checked.ok) throw new ToolInputError(checked.issues);

    const startedAt = ctx.deps.clock.now();
    // No abort signal on the paid POST: cancelling half way would leave a job we might never hear of.
    const created = await ctx.deps.api.createVideo(checked.request);
    ctx.logger.info('video job created', { job_id: created.id, model: checked.request.model });

    const warnings = [...checked.warnings];
    let job = created;
    if (waitSeconds > 0) {
      const outcome = await watchJob(ctx, {
        jobId: created.id,
        initial: created,
        model: checked.request.model,
        waitSeconds,
        startedAt,
      });
      job = outcome.job;
      if (outcome.warning) warnings.push(outcome.warning);
    }
    const view = toJobView(job, {
      sandbox: ctx.deps.sandbox,
      model: checked.request.model,
      elapsedMs: ctx.deps.clock.now() - startedAt,
      waitHint: DEFAULT_CREATE_WAIT_SECONDS,
    });
    const structured = {
      ...view,
      ...(checked.estimatedCostUsd !== undefined ? { estimated_cost_usd: checked.estimatedCostUsd } : {}),
      warnings,
    };
    const estimate =
      checked.estimatedCostUsd !== undefined
        ? ` Estimated cost $${checked.estimatedCostUsd.toFixed(2)}.`
        : '';
    const notes = warnings.length ? ` Warnings: ${warnings.join(' ')}` : '';
    return { structured, text: `${summariseJob(view)}${estimate}${notes}` };
  },
});
