/**
 * Saving a finished job's video: a fresh URL from the job (URLs expire), the streamed download, and
 * the ledger entry that says where the file is. Shared by download_video and auto-download.
 */
import path from 'node:path';
import type { Clock } from '../clock.js';
import { UserFacingError } from '../errors.js';
import { type DownloadResult, downloadToFile } from '../files/download.js';
import { sanitiseFilename } from '../files/output-path.js';
import { verifySavedFile } from '../files/saved-file.js';
import type { Logger } from '../log.js';
import { NotFoundError } from '../together/errors.js';
import type { TogetherVideoApi, VideoJob } from '../together/types.js';
import { patchFromJob } from './job-patch.js';
import type { JobStore } from './job-store.js';
import { type JobScope, unknownJobMessage } from './unknown-job.js';

/** The job exists but has no video to save (yet, or ever); the message says which and what to do. */
export class JobNotReadyError extends UserFacingError {
  override name = 'JobNotReadyError';
}

export interface SaveDeps extends JobScope {
  api: TogetherVideoApi;
  ledger: JobStore;
  outputDir: string;
  clock: Clock;
  logger: Logger;
  collectGarbage?: (() => void) | undefined;
}

export interface SaveOptions {
  filename?: string;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

async function fetchJob(deps: SaveDeps, jobId: string, signal: AbortSignal | undefined): Promise<VideoJob> {
  try {
    return await deps.api.retrieveVideo(jobId, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new JobNotReadyError(unknownJobMessage(jobId, deps));
    }
    throw error;
  }
}

function readyUrl(job: VideoJob): string {
  if (job.status === 'completed' && job.videoUrl) return job.videoUrl;
  if (job.status === 'failed') {
    throw new JobNotReadyError(
      `Job ${job.id} failed, so there is no video to download: ${job.error?.message ?? 'no reason given'}.`,
    );
  }
  if (job.status === 'completed')
    throw new JobNotReadyError(
      `Job ${job.id} is completed but Together returned no video URL; try again shortly.`,
    );
  throw new JobNotReadyError(
    `Job ${job.id} is ${job.status}, not completed yet. Call get_video_status with wait_seconds 45, then download_video.`,
  );
}

function defaultBase(job: VideoJob): string {
  const model = job.model?.split('/').pop()?.toLowerCase();
  return model ? `${model}-${job.id}` : job.id;
}

export interface SavedVideo {
  jobId: string;
  file: DownloadResult;
  /** The file saved by an earlier call, checked (size and sha256) and answered instead of a new copy. */
  alreadySaved: boolean;
}

/**
 * The file an earlier call saved for this job, if it is still in the output folder with the
 * recorded size and sha256; anything else (moved, edited, replaced by a link) means download again.
 */
async function earlierCopy(
  deps: SaveDeps,
  jobId: string,
  filename: string | undefined,
): Promise<DownloadResult | undefined> {
  const record = await deps.ledger.get(jobId);
  if (!record?.file_path || record.sha256 === undefined || record.bytes === undefined) return undefined;
  // A filename naming the saved copy asks for that copy; any other name asks for a new one.
  const ext = path.extname(record.file_path) === '.webm' ? 'webm' : 'mp4';
  if (
    filename !== undefined &&
    sanitiseFilename(filename, ext, deps.outputDir) !== path.basename(record.file_path)
  )
    return undefined;
  const saved = { path: record.file_path, bytes: record.bytes, sha256: record.sha256 };
  const file = await verifySavedFile(saved, deps.outputDir);
  if (!file) {
    deps.logger.info('saved video missing or changed; downloading again', { job_id: jobId });
    return undefined;
  }
  return { ...file, resumed: 0 };
}

/**
 * Saves the job's video, or answers the copy an earlier call saved (unless a different `filename`
 * asks for another), so asking twice never fills the folder with fox-1.mp4, fox-2.mp4, ...
 */
export function saveJobVideo(deps: SaveDeps, jobId: string, options: SaveOptions = {}): Promise<SavedVideo> {
  // One download of a job at a time across every process sharing the store: a second caller waits,
  // then finds the copy the first saved (when they share the output dir).
  return deps.ledger.withDownloadLock(jobId, () => saveUnlocked(deps, jobId, options));
}

async function saveUnlocked(deps: SaveDeps, jobId: string, options: SaveOptions): Promise<SavedVideo> {
  const earlier = await earlierCopy(deps, jobId, options.filename);
  if (earlier) return { jobId, file: earlier, alreadySaved: true };
  const job = await fetchJob(deps, jobId, options.signal);
  const file = await downloadToFile({
    url: readyUrl(job),
    refreshUrl: async () => readyUrl(await fetchJob(deps, jobId, options.signal)),
    outputDir: deps.outputDir,
    ...(options.filename !== undefined ? { filename: options.filename } : {}),
    defaultBase: defaultBase(job),
    resumeKey: job.id,
    ...(options.signal ? { signal: options.signal } : {}),
    logger: deps.logger,
    clock: deps.clock,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(deps.collectGarbage ? { collectGarbage: deps.collectGarbage } : {}),
  });
  await deps.ledger.record(job.id, {
    ...patchFromJob(job),
    file_path: file.path,
    sha256: file.sha256,
    bytes: file.bytes,
    downloaded_at: new Date(deps.clock.now()).toISOString(),
  });
  return { jobId: job.id, file, alreadySaved: false };
}
