/**
 * The emulator's jobs. A job's status is a function of time since creation: queued for the first
 * 15 % of its duration, then in progress, then completed (or failed, for a `[fail]` prompt).
 */
import { randomBytes } from 'node:crypto';
import type { Sizing } from '../models/types.js';
import type { Container } from './assets/videos.js';

export interface EmulatedJob {
  id: string;
  model: string;
  request: Record<string, unknown>;
  createdAt: number;
  durationMs: number;
  seconds: string;
  size: string;
  cost: number;
  container: Container;
  failure?: { message: string; code: string };
}

const FAIL_MARKER = '[fail]';
const QUEUED_SHARE = 0.15;
const DEFAULT_SECONDS = '5';
/** What the emulator reports for a model the registry does not know and a request with no size. */
const UNKNOWN_MODEL_SIZE = '1366x768';

/** Time-ordered ids in the shape Together uses (UUID v7, e.g. `019a0068-794a-7213-90f6-cc4eb62e3da7`). */
function uuidv7(now: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const even = (n: number): number => Math.round(n / 2) * 2;

/** Pixels for a resolution label ("720p", "1080P": the short side) and a ratio ("9:16"). */
function fromResolution(resolution: unknown, ratio: unknown): string | undefined {
  const short = typeof resolution === 'string' ? Number.parseInt(resolution, 10) : Number.NaN;
  const parts = typeof ratio === 'string' ? /^(\d+):(\d+)$/.exec(ratio) : null;
  if (!Number.isFinite(short) && !parts) return undefined;
  const p = Number.isFinite(short) && short > 0 ? short : 720;
  const [w, h] = parts ? [Number(parts[1]), Number(parts[2])] : [16, 9];
  if (!(w > 0 && h > 0)) return undefined;
  return w >= h ? `${even((p * w) / h)}x${p}` : `${p}x${even((p * h) / w)}`;
}

/**
 * The `size` Together reports: from width/height, else from resolution and ratio, else the model's
 * own default (its first size, or its default resolution and ratio), as the real model would make.
 */
function sizeOf(body: Record<string, unknown>, sizing?: Sizing): string {
  const { width, height, resolution, ratio } = body;
  if (typeof width === 'number' && typeof height === 'number') return `${width}x${height}`;
  if (sizing?.mode === 'dimensions' && resolution === undefined && ratio === undefined)
    return `${sizing.default.width}x${sizing.default.height}`;
  const defaults = sizing?.mode === 'resolution' ? sizing : undefined;
  return (
    fromResolution(resolution ?? defaults?.defaultResolution, ratio ?? defaults?.defaultRatio) ??
    UNKNOWN_MODEL_SIZE
  );
}

export interface JobSettings {
  now: number;
  durationMs: number;
  costFor: (model: string, seconds: string | undefined) => number;
  /** The model's sizes, for the size it reports when the request names none. */
  sizing: Sizing | undefined;
}

/** 0.1 USD per second of video, like the cheaper per-second models. */
export function defaultCost(_model: string, seconds: string | undefined): number {
  const n = Number(seconds ?? DEFAULT_SECONDS);
  return Math.round((Number.isFinite(n) && n > 0 ? n : Number(DEFAULT_SECONDS)) * 0.1 * 10_000) / 10_000;
}

export function createJob(
  request: Record<string, unknown>,
  model: string,
  settings: JobSettings,
): EmulatedJob {
  const requested = request.seconds === undefined ? undefined : String(request.seconds);
  const job: EmulatedJob = {
    id: uuidv7(settings.now),
    model,
    request,
    createdAt: settings.now,
    durationMs: Math.max(0, settings.durationMs),
    seconds: requested ?? DEFAULT_SECONDS,
    size: sizeOf(request, settings.sizing),
    cost: settings.costFor(model, requested),
    container: String(request.output_format).toUpperCase() === 'WEBM' ? 'webm' : 'mp4',
  };
  if (typeof request.prompt === 'string' && request.prompt.includes(FAIL_MARKER))
    job.failure = { message: 'The prompt was flagged by the content filter.', code: 'contentFiltered' };
  return job;
}

export function statusAt(job: EmulatedJob, now: number): 'queued' | 'in_progress' | 'completed' | 'failed' {
  const elapsed = now - job.createdAt;
  if (elapsed < job.durationMs * QUEUED_SHARE) return 'queued';
  if (elapsed < job.durationMs) return 'in_progress';
  return job.failure ? 'failed' : 'completed';
}

/** When the job left the queue (a worker claimed it). */
export function claimedAt(job: EmulatedJob): number {
  return job.createdAt + job.durationMs * QUEUED_SHARE;
}
