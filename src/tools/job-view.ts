/**
 * The projection of a job that tools return: a stable, small shape with snake_case keys, never the
 * raw API object. Shared by create_video and get_video_status so both describe a job identically.
 */
import { z } from 'zod';
import { isTerminal } from '../jobs/wait-for-job.js';
import type { VideoJob } from '../together/types.js';

/** Every field a job result carries, so clients that read only structuredContent miss nothing. */
export const jobViewShape = {
  job_id: z.string(),
  status: z.string(),
  done: z.boolean(),
  model: z.string().optional(),
  video_url: z.string().optional(),
  cost: z.number().optional(),
  error: z.object({ message: z.string(), code: z.string().optional() }).optional(),
  sandbox: z.boolean(),
  /** false in the sandbox (its cost is the price the real model would charge); true once a real job reports cost. */
  charged: z.boolean().optional(),
  size: z.string().optional(),
  seconds: z.string().optional(),
  created_at: z.string().optional(),
  completed_at: z.string().optional(),
  elapsed_seconds: z.number().optional(),
  next_step: z.string(),
};

export type JobView = z.output<z.ZodObject<typeof jobViewShape>>;

function nextStepFor(job: VideoJob, waitHint: number): string {
  if (job.status === 'completed') {
    return `Call download_video with job_id "${job.id}" to save the file (the URL expires).`;
  }
  if (job.status === 'failed')
    return 'The job failed and was not delivered; adjust the request and create a new one.';
  if (job.status === 'cancelled')
    return 'The job was cancelled; create a new one if you still need the video.';
  return `Still generating. Call get_video_status with job_id "${job.id}" and wait_seconds ${waitHint} to keep waiting.`;
}

export function toJobView(
  job: VideoJob,
  opts: { sandbox: boolean; model?: string; elapsedMs?: number; waitHint: number },
): JobView {
  const view: JobView = {
    job_id: job.id,
    status: job.status,
    done: isTerminal(job.status),
    sandbox: opts.sandbox,
    next_step: nextStepFor(job, opts.waitHint),
  };
  const model = job.model ?? opts.model;
  if (model) view.model = model;
  if (job.videoUrl) view.video_url = job.videoUrl;
  if (job.cost !== undefined) view.cost = job.cost;
  if (job.cost !== undefined || opts.sandbox) view.charged = !opts.sandbox;
  if (job.error)
    view.error = job.error.code
      ? { message: job.error.message, code: job.error.code }
      : { message: job.error.message };
  if (job.size) view.size = job.size;
  if (job.seconds) view.seconds = job.seconds;
  if (job.createdAt) view.created_at = job.createdAt.toISOString();
  if (job.completedAt) view.completed_at = job.completedAt.toISOString();
  if (opts.elapsedMs !== undefined) view.elapsed_seconds = Math.round(opts.elapsedMs / 100) / 10;
  return view;
}

/** A price as text; in the sandbox it says that nothing was charged, so it never reads as real spend. */
export function usd(amount: number, sandbox: boolean): string {
  return `$${amount.toFixed(2)}${sandbox ? ' (sandbox: not charged)' : ''}`;
}

/** One line for clients that only show text. */
export function summariseJob(view: JobView): string {
  const parts = [`Job ${view.job_id} (${view.model ?? 'unknown model'}) is ${view.status}`];
  if (view.cost !== undefined) parts.push(`cost ${usd(view.cost, view.sandbox)}`);
  if (view.error) parts.push(`error: ${view.error.message}`);
  if (view.sandbox && view.cost === undefined) parts.push('sandbox');
  return `${parts.join('; ')}. ${view.next_step}`;
}
