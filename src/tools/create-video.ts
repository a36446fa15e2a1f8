import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { resolveMedia } from '../files/input-media.js';
import { patchFromJob } from '../jobs/job-patch.js';
import type { SpendLimit } from '../jobs/job-store.js';
import { JobLedger, sanitiseParams } from '../jobs/ledger.js';
import { spentInLastDay } from '../jobs/spend.js';
import { isTerminal } from '../jobs/wait-for-job.js';
import { createVideoFieldHint } from '../models/field-hints.js';
import { createVideoFields } from '../models/schema.js';
import { validateCreateVideo } from '../models/validate.js';
import { TogetherApiError } from '../together/errors.js';
import type { VideoJob } from '../together/types.js';
import { confirmCost, confirmCostField, confirmIssues, costToConfirm } from './confirm-cost.js';
import type { ToolContext } from './context.js';
import { defineTool } from './define-tool.js';
import { inputContext } from './input-context.js';
import { jobViewShape, summariseJob, toJobView, usd } from './job-view.js';
import { describeError, ToolFailure, ToolInputError } from './tool-error.js';
import { DEFAULT_CREATE_WAIT_SECONDS, waitSecondsField } from './wait-seconds.js';
import { watchJob } from './watch-job.js';

export const createVideo = defineTool({
  name: 'create_video',
  title: 'Create video',
  description:
    'Generate a video (paid; refusals free). Waits up to wait_seconds for the job (video_url expires), ' +
    'else its job_id for get_video_status.',
  kind: 'action',
  openWorld: true,
  input: {
    ...createVideoFields,
    confirm_cost_usd: confirmCostField,
    wait_seconds: waitSecondsField(DEFAULT_CREATE_WAIT_SECONDS),
  },
  unknownFieldHint: createVideoFieldHint,
  check({ wait_seconds: _wait, confirm_cost_usd: confirm, ...fields }, deps) {
    const checked = validateCreateVideo(fields, { allowUnknownModels: deps.allowUnknownModels });
    if (!checked.ok) return checked.issues;
    return confirmIssues(
      confirm,
      costToConfirm(checked.request, checked.model, checked.estimatedCostUsd, deps.sandbox),
    );
  },
  output: {
    ...jobViewShape,
    estimated_cost_usd: z.number().optional(),
    warnings: z.array(z.string()),
  },
  async handle(args, ctx) {
    const { wait_seconds: waitSeconds, confirm_cost_usd: confirm, ...fields } = args;
    const checked = validateCreateVideo(fields, { allowUnknownModels: ctx.deps.allowUnknownModels });
    if (!checked.ok) throw new ToolInputError(checked.issues);
    const cost = costToConfirm(checked.request, checked.model, checked.estimatedCostUsd, ctx.deps.sandbox);
    const wrongConfirmation = confirmIssues(confirm, cost);
    if (wrongConfirmation.length) throw new ToolInputError(wrongConfirmation);
    // The ledger keeps what the user gave (paths, URLs, job: refs), not the resolved base64.
    const asGiven = sanitiseParams(checked.request) as Record<string, unknown>;
    if (checked.request.media) {
      const resolved = await resolveMedia(checked.request.media, inputContext(ctx));
      if (resolved.issues.length) throw new ToolInputError(resolved.issues);
      checked.request.media = resolved.media;
    }

    // Looked at before asking, so a user is never asked about a create that is then refused (the
    // spend limit is checked again, exactly, as the intent is recorded); the rate limit counts the
    // create only once it will be sent, so asking costs the caller no slot.
    await guardSpend(ctx, checked.estimatedCostUsd);
    const limited = await ledgerBeforeSending(() => ctx.deps.admitCreate(false));
    if (limited) throw new ToolFailure(limited);
    const question = confirmCost(ctx, confirm, cost);
    if (question) return question;
    const refusal = await ledgerBeforeSending(() => ctx.deps.admitCreate());
    if (refusal) throw new ToolFailure(refusal);
    const startedAt = ctx.deps.clock.now();
    const created = await submit(ctx, checked.request, asGiven, checked.estimatedCostUsd);

    const warnings = [...checked.warnings];
    let job = created;
    // While this call waits, it is the job's watcher: no other replica starts polling it too.
    const letGo = waitSeconds > 0 ? await ctx.deps.holdWatch(created.id) : async () => {};
    try {
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
        if (job !== created) {
          // The job itself is already recorded; a ledger failing now only loses this status update.
          await ctx.deps.ledger.record(job.id, patchFromJob(job)).catch((error: unknown) => {
            ctx.logger.warn('could not record the job status in the ledger', { job_id: job.id, error });
            warnings.push(`The ledger could not record this status: ${describeError(error)}`);
          });
        }
      }
    } finally {
      await letGo();
      // Also when the caller cancelled or went away mid-wait: the paid job is still watched and saved.
      if (!isTerminal(job.status)) ctx.deps.watchInBackground(job.id, checked.request.model);
      else if (job.status === 'completed') ctx.deps.jobCompleted(job.id);
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
        ? ` Estimated cost ${usd(checked.estimatedCostUsd, ctx.deps.sandbox)}.`
        : '';
    const notes = warnings.length ? ` Warnings: ${warnings.join(' ')}` : '';
    return { structured, text: `${summariseJob(view)}${estimate}${notes}` };
  },
});

/** The spend limit (VIDEO_MCP_MAX_SPEND_USD), or undefined when there is none. */
function spendLimit(ctx: ToolContext, estimate: number | undefined): SpendLimit | undefined {
  const max = ctx.deps.maxSpendUsd;
  return max === undefined
    ? undefined
    : { maxUsd: max, estimateUsd: estimate ?? 0, now: ctx.deps.clock.now() };
}

function overSpend(limit: SpendLimit, spentUsd: number): ToolFailure {
  return new ToolFailure(
    `Refused: this video (about $${limit.estimateUsd.toFixed(2)}) would take the last 24 hours of spend from $${spentUsd.toFixed(2)} ` +
      `past the limit of $${limit.maxUsd.toFixed(2)} (VIDEO_MCP_MAX_SPEND_USD). Nothing was sent or charged.`,
  );
}

/** A look before asking the user; the binding check is the one recordIntent makes. */
async function guardSpend(ctx: ToolContext, estimate: number | undefined): Promise<void> {
  const limit = spendLimit(ctx, estimate);
  if (!limit) return;
  const spent = spentInLastDay(await ledgerBeforeSending(() => ctx.deps.ledger.all()), limit.now);
  if (spent + limit.estimateUsd > limit.maxUsd) throw overSpend(limit, spent);
}

/** A ledger that fails before the paid call is sent is an expected refusal that says nothing was spent. */
async function ledgerBeforeSending<T>(use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    throw new ToolFailure(`${error.message} Nothing was sent to Together and nothing was charged.`, {
      cause: error,
    });
  }
}

/**
 * The paid call, bracketed by ledger writes: the intent is on disk before the request leaves, and the
 * job id is on disk before the tool answers (or, if the disk refuses it, in the error). No abort
 * signal: cancelling half way could leave a job we never hear of.
 */
async function submit(
  ctx: ToolContext,
  request: Parameters<ToolContext['deps']['api']['createVideo']>[0],
  asGiven: Record<string, unknown>,
  estimate: number | undefined,
): Promise<VideoJob> {
  const { ledger } = ctx.deps;
  const key = JobLedger.localKey();
  // Written in full and fsync'd before the POST: a create is never sent unless its intent is whole on
  // disk, so a crash or a full disk cannot leave a paid job with no trace. Correctness over the ~1 ms
  // the fsync costs.
  // The spend limit is checked in the same step, exactly, however many replicas create at once.
  const limit = spendLimit(ctx, estimate);
  const intent = await ledgerBeforeSending(() =>
    ledger.recordIntent(
      key,
      {
        status: 'submitting',
        model: request.model,
        params: asGiven,
        ...(estimate !== undefined ? { estimated_cost_usd: estimate } : {}),
        sandbox: ctx.deps.sandbox,
        ...(ctx.deps.owner !== undefined ? { owner: ctx.deps.owner } : {}),
      },
      limit,
    ),
  );
  if (!intent.ok && limit) throw overSpend(limit, intent.spentUsd);
  let created: VideoJob;
  try {
    created = await ctx.deps.api.createVideo(request);
  } catch (error) {
    const mayExist = error instanceof TogetherApiError && error.jobMayExist;
    // The provider's answer is what the caller needs; a ledger that fails now only loses this note.
    await ledger
      .record(key, { status: mayExist ? 'unknown' : 'not_created', error: { message: describeError(error) } })
      .catch((ledgerError: unknown) =>
        ctx.logger.error('could not record the failed create in the ledger', {
          local_id: key,
          error: ledgerError,
        }),
      );
    throw error;
  }
  const model = created.model ?? request.model;
  try {
    await ledger.record(created.id, { replaces: key, ...patchFromJob(created), model });
  } catch (error) {
    ctx.logger.error('video job created but NOT recorded in the ledger: keep this id', {
      job_id: created.id,
      model,
      error,
    });
    // Keeps trying to record it (and auto-downloads it, if set) once the ledger takes writes again.
    ctx.deps.watchInBackground(created.id, model);
    const reason = describeError(error);
    throw new ToolFailure(
      `Video job ${created.id} was created at Together (${model}, it may be charged) but not recorded: keep this id ${created.id}. ` +
        `get_video_status and download_video work with it. ${reason}`,
      { cause: error },
    );
  }
  ctx.logger.info('video job created', { job_id: created.id, model: request.model });
  return created;
}
