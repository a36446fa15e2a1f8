/**
 * The emulator's jobs and how they are rendered in each documented response shape. A job's status
 * is a function of time since creation: queued, then in_progress, then completed (or failed).
 */
import { randomBytes } from 'node:crypto';

export type Shape = 'spec' | 'docs';

export interface EmulatedJob {
  id: string;
  model: string;
  request: Record<string, unknown>;
  createdAt: number;
  durationMs: number;
  seconds: string;
  size: string;
  cost: number;
  container: 'mp4' | 'webm';
  failure?: { message: string; code: string };
}

const RATIO_SIZES: Record<string, [number, number]> = {
  '16:9': [1280, 720],
  '9:16': [720, 1280],
  '1:1': [960, 960],
  '4:3': [1104, 832],
  '3:4': [832, 1104],
};

/** Time-ordered ids in the shape Together uses (UUID v7). */
export function uuidv7(now: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function sizeOf(body: Record<string, unknown>): string {
  if (typeof body.width === 'number' && typeof body.height === 'number')
    return `${body.width}x${body.height}`;
  const ratio = typeof body.ratio === 'string' ? RATIO_SIZES[body.ratio] : undefined;
  if (ratio) {
    const scale = typeof body.resolution === 'string' && body.resolution.startsWith('1080') ? 1.5 : 1;
    return `${Math.round(ratio[0] * scale)}x${Math.round(ratio[1] * scale)}`;
  }
  return '1366x768';
}

export function statusAt(job: EmulatedJob, now: number): 'queued' | 'in_progress' | 'completed' | 'failed' {
  const elapsed = now - job.createdAt;
  if (elapsed < job.durationMs * 0.15) return 'queued';
  if (elapsed < job.durationMs) return 'in_progress';
  return job.failure ? 'failed' : 'completed';
}

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
  const error = status === 'failed' && job.failure ? job.failure : undefined;
  if (shape === 'spec') {
    return {
      id: job.id,
      object: 'video',
      model: job.model,
      // The spec's enum has no "queued".
      status: status === 'queued' ? 'in_progress' : status,
      created_at: Math.floor(job.createdAt / 1000),
      ...(done ? { completed_at: Math.floor(finishedAt / 1000) } : {}),
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
    created_at: new Date(job.createdAt).toISOString(),
    ...(done ? { completed_at: new Date(finishedAt).toISOString() } : {}),
    claimed_at:
      status === 'queued'
        ? '0001-01-01T00:00:00Z'
        : new Date(job.createdAt + job.durationMs * 0.15).toISOString(),
    ...(error ? { error } : {}),
    // The old docs shape, kept because clients in the wild still see it.
    info: { user_id: 'sandbox-user', errors: error ? [error] : null },
    inputs: job.request,
    priority: 0,
  };
}
