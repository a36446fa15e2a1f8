/**
 * The preview of a job's saved video (preview_video, the video-preview:// resource): made again from
 * the file each time rather than cached beside it, so the output folder holds only what the user
 * asked for and a preview can never be older than its file (a sandbox clip: ~0.1 s; 10 s of 1080p: ~1.4 s).
 */
import { UserFacingError } from '../errors.js';
import { verifySavedFile } from '../files/saved-file.js';
import { ENABLE_FRAMES, type FrameTools } from '../frames/frame-tools.js';
import { makePreview, type VideoPreview } from '../frames/video-preview.js';
import type { JobStore } from './job-store.js';
import { type JobScope, unknownJobMessage } from './unknown-job.js';

export interface SavedPreviewDeps extends JobScope {
  ledger: JobStore;
  outputDir: string;
  frameTools(): Promise<FrameTools | undefined>;
}

/** The job is known to the caller, but there is no saved file to preview (or no ffmpeg to do it). */
class PreviewUnavailableError extends UserFacingError {
  override name = 'PreviewUnavailableError';
}

/** The caller has checked the job is theirs; this finds its file, checks it, and makes the sheet. */
export async function previewSavedJob(
  deps: SavedPreviewDeps,
  jobId: string,
  signal?: AbortSignal,
): Promise<VideoPreview & { path: string }> {
  const record = await deps.ledger.get(jobId);
  if (!record) throw new PreviewUnavailableError(unknownJobMessage(jobId, deps));
  const saved =
    record.file_path && record.sha256 !== undefined && record.bytes !== undefined
      ? await verifySavedFile(
          { path: record.file_path, bytes: record.bytes, sha256: record.sha256 },
          deps.outputDir,
        )
      : undefined;
  if (!saved)
    throw new PreviewUnavailableError(
      `Job ${jobId} has no saved video to preview${record.file_path ? ' (the saved file was moved or changed)' : ''}. ` +
        'Call download_video with this job_id first; its result carries the preview too.',
    );
  const tools = await deps.frameTools();
  if (!tools) throw new PreviewUnavailableError(`Previews need ffmpeg. ${ENABLE_FRAMES}`);
  return { ...(await makePreview(tools, saved.path, signal)), path: saved.path };
}
