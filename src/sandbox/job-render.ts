/** A job as the API shows it, in each of the two documented response shapes. */
import { claimedAt, type EmulatedJob, statusAt } from './job-store.js';
import type { Shape } from './types.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const unix = (ms: number): number => Math.floor(ms / 1000);

/** `videoUrl` is called only for a completed job: every look at one mints a fresh link. */
export function renderJob(
  job: EmulatedJob,
  shape: Shape,
  now: number,
  videoUrl: () => string,
): Record<string, unknown> {
  const status = statusAt(job, now);
  const done = status === 'completed' || status === 'failed';
  const finishedAt = job.createdAt + job.durationMs;
  const outputs = status === 'completed' ? { cost: job.cost, video_url: videoUrl() } : undefined;
  const error = status === 'failed' ? job.failure : undefined;
  if (shape === 'spec') {
    return {
      id: job.id,
      object: 'video',
      model: job.model,
      // The spec's enum has no "queued": a job waiting in the queue is reported as in progress.
      status: status === 'queued' ? 'in_progress' : status,
      created_at: unix(job.createdAt),
      ...(done ? { completed_at: unix(finishedAt) } : {}),
      size: job.size,
      seconds: job.seconds,
      ...(error ? { error } : {}),
      ...(outputs ? { outputs } : {}),
    };
  }
  return {
    id: job.id,
    model: job.model,
    status,
    size: job.size,
    seconds: job.seconds,
    outputs: outputs ?? null,
    created_at: iso(job.createdAt),
    ...(done ? { completed_at: iso(finishedAt), done_at: iso(finishedAt) } : {}),
    // The old queue vocabulary the documentation pages still show; clients must ignore what they don't know.
    claimed_at: status === 'queued' ? '0001-01-01T00:00:00Z' : iso(claimedAt(job)),
    ...(error ? { error } : {}),
    info: { user_id: 'sandbox-user', errors: error ? [error] : null },
    inputs: job.request,
    priority: 0,
  };
}
