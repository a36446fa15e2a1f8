/**
 * Saving a finished job's video: a fresh URL from the job (URLs expire), the streamed download, and
 * the ledger entry that says where the file is. Shared by download_video and auto-download.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import { type DownloadResult, downloadToFile } from '../files/download.js';
import type { Logger } from '../log.js';
import { NotFoundError } from '../together/errors.js';
import type { TogetherVideoApi, VideoJob } from '../together/types.js';
import { patchFromJob } from './job-patch.js';
import type { JobLedger } from './ledger.js';
import { type JobScope, unknownJobMessage } from './unknown-job.js';

/** The job exists but has no video to save (yet, or ever); the message says which and what to do. */
export class JobNotReadyError extends Error {
  override name = 'JobNotReadyError';
}

export interface SaveDeps extends JobScope {
  api: TogetherVideoApi;
  ledger: JobLedger;
  outputDir: string;
  clock: Clock;
  logger: Logger;
  downloadDispatcher?: Dispatcher;
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

export async function saveJobVideo(
  deps: SaveDeps,
  jobId: string,
  options: SaveOptions = {},
): Promise<{ job: VideoJob; file: DownloadResult }> {
  const job = await fetchJob(deps, jobId, options.signal);
  const file = await downloadToFile({
    url: readyUrl(job),
    refreshUrl: async () => readyUrl(await fetchJob(deps, jobId, options.signal)),
    outputDir: deps.outputDir,
    ...(options.filename !== undefined ? { filename: options.filename } : {}),
    defaultBase: defaultBase(job),
    resumeKey: job.id,
    ...(deps.downloadDispatcher ? { dispatcher: deps.downloadDispatcher } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    logger: deps.logger,
    clock: deps.clock,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await deps.ledger.record(job.id, {
    ...patchFromJob(job),
    file_path: file.path,
    sha256: file.sha256,
    bytes: file.bytes,
    downloaded_at: new Date(deps.clock.now()).toISOString(),
  });
  return { job, file };
}
