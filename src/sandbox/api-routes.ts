/** `POST /v2/videos`, `GET /v2/videos/:id` and `GET /v1/models`, after auth has passed. */
import type { Logger } from '../log.js';
import { getModel } from '../models/lookup.js';
import { applyFault, type FaultQueue } from './faults.js';
import { apiError, BODY_TOO_LARGE, type Exchange, readBody, sendJson } from './http-io.js';
import { renderJob } from './job-render.js';
import { createJob, defaultCost, type EmulatedJob } from './job-store.js';
import { renderModels } from './model-list.js';
import type { EmulatorOptions, Shape } from './types.js';
import type { VideoLinks } from './video-links.js';

export interface ApiDeps {
  options: EmulatorOptions;
  jobs: Map<string, EmulatedJob>;
  links: VideoLinks;
  faults: FaultQueue;
  now: () => number;
  shape: () => Shape;
  logger: Logger;
  /** Keeps a new job on disk (when the emulator has a state file). */
  save?: (job: EmulatedJob) => Promise<void>;
  /** Picks up jobs another process saved since this one started. */
  reload?: () => Promise<void>;
}

const DEFAULT_JOB_MS = 3000;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A 400 as Together words it. */
function badRequest(ex: Exchange, message: string, code: string | null, param: string | null = null): void {
  sendJson(ex, 400, apiError(message, 'invalid_request_error', code, param));
}

function render(ex: Exchange, deps: ApiDeps, job: EmulatedJob): Record<string, unknown> {
  return renderJob(job, deps.shape(), deps.now(), () => deps.links.mint(job, ex.origin));
}

export async function handleCreate(ex: Exchange, deps: ApiDeps): Promise<void> {
  const text = await readBody(ex.req);
  const parsed = parseJson(text ?? '');
  ex.record.body = parsed.ok ? parsed.value : (text ?? '[over the size limit]');
  // Throttling and overload come before validation, as a gateway in front of the API would answer.
  if (await applyFault(ex, deps.faults.take('create'))) return;
  if (text === undefined) return sendJson(ex, 413, BODY_TOO_LARGE);
  if (!parsed.ok) return badRequest(ex, 'Request body is not valid JSON.', 'invalid_json');
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return badRequest(ex, 'Request body must be a JSON object.', null);
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model.trim() === '')
    return badRequest(ex, 'Field "model" is required.', 'missing_required_parameter', 'model');
  const { options } = deps;
  const model = request.model;
  const job = createJob(request, model, {
    now: deps.now(),
    sizing: getModel(model)?.sizing,
    durationMs: options.durationFor?.(model) ?? options.jobDurationMs ?? DEFAULT_JOB_MS,
    costFor: options.costFor ?? defaultCost,
  });
  deps.jobs.set(job.id, job);
  // The job is served from memory either way; only a later process would miss it.
  await deps.save?.(job).catch((error: unknown) =>
    deps.logger.warn('could not save the sandbox job; it lasts only as long as this process', {
      job_id: job.id,
      error,
    }),
  );
  deps.logger.debug('emulator created job', { job_id: job.id, model });
  // The docs shape answers a create with the id alone; the spec shape with the whole job.
  sendJson(ex, 200, deps.shape() === 'docs' ? { id: job.id } : render(ex, deps, job));
}

export async function handleRetrieve(ex: Exchange, deps: ApiDeps, id: string): Promise<void> {
  if (await applyFault(ex, deps.faults.take('retrieve'))) return;
  if (!deps.jobs.has(id))
    await deps
      .reload?.()
      .catch((error: unknown) => deps.logger.warn('could not read the sandbox jobs', { error }));
  const job = deps.jobs.get(id);
  if (!job) return sendJson(ex, 404, apiError('Video ID not found', 'invalid_request_error', 'not_found'));
  sendJson(ex, 200, render(ex, deps, job));
}

export async function handleModels(ex: Exchange, deps: ApiDeps): Promise<void> {
  if (await applyFault(ex, deps.faults.take('models'))) return;
  sendJson(ex, 200, renderModels(deps.options.models));
}
