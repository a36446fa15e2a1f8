import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { downloadToFile } from '../files/download.js';
import { NotFoundError } from '../together/errors.js';
import type { VideoJob } from '../together/types.js';
import type { ToolContext } from './context.js';
import { defineTool } from './define-tool.js';
import { jobIdField } from './job-id.js';
import { ToolFailure } from './tool-error.js';

async function fetchJob(ctx: ToolContext, jobId: string): Promise<VideoJob> {
  try {
    return await ctx.deps.api.retrieveVideo(jobId, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ToolFailure(
        `No video job with id "${jobId}" exists for this API key. Use the job_id returned by create_video.`,
      );
    }
    throw error;
  }
}

function readyUrl(job: VideoJob): string {
  if (job.status === 'completed' && job.videoUrl) return job.videoUrl;
  if (job.status === 'failed') {
    throw new ToolFailure(
      `Job ${job.id} failed, so there is no video to download: ${job.error?.message ?? 'no reason given'}.`,
    );
  }
  if (job.status === 'completed')
    throw new ToolFailure(
      `Job ${job.id} is completed but Together returned no video URL; try again shortly.`,
    );
  throw new ToolFailure(
    `Job ${job.id} is ${job.status}, not completed yet. Call get_video_status with wait_seconds 45, then download_video.`,
  );
}

function defaultBase(job: VideoJob): string {
  const model = job.model?.split('/').pop()?.toLowerCase();
  return model ? `${model}-${job.id}` : job.id;
}

export const downloadVideo = defineTool({
  name: 'download_video',
  title: 'Download video',
  description:
    "Save a completed job's video to the output directory (fresh URL each time, so expiry is fine; resumed " +
    'after drops; size, sha256 and container checked). Returns the local path.',
  kind: 'download',
  openWorld: true,
  input: {
    job_id: jobIdField,
    filename: z
      .string()
      .max(200)
      .optional()
      .describe('Plain file name in the output directory; extension set from the video.'),
  },
  output: {
    path: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    mime_type: z.string(),
    job_id: z.string(),
    file_uri: z.string(),
    resumed: z.number(),
    sandbox: z.boolean(),
  },
  async handle(args, ctx) {
    const job = await fetchJob(ctx, args.job_id);
    const url = readyUrl(job);
    const result = await downloadToFile({
      url,
      refreshUrl: async () => readyUrl(await fetchJob(ctx, args.job_id)),
      outputDir: ctx.deps.outputDir,
      ...(args.filename !== undefined ? { filename: args.filename } : {}),
      defaultBase: defaultBase(job),
      ...(ctx.deps.downloadDispatcher ? { dispatcher: ctx.deps.downloadDispatcher } : {}),
      signal: ctx.signal,
      logger: ctx.logger,
      clock: ctx.deps.clock,
      onProgress: (received, total) => {
        if (total)
          ctx.progress.report(
            received / total,
            `downloaded ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`,
          );
      },
    });
    const fileUri = pathToFileURL(result.path).href;
    const structured = {
      path: result.path,
      bytes: result.bytes,
      sha256: result.sha256,
      mime_type: result.mimeType,
      job_id: job.id,
      file_uri: fileUri,
      resumed: result.resumed,
      sandbox: ctx.deps.sandbox,
    };
    const name = result.path.split(/[\\/]/).pop() ?? result.path;
    return {
      structured,
      text: `Saved ${(result.bytes / 1e6).toFixed(2)} MB ${result.mimeType} to ${result.path} (sha256 ${result.sha256.slice(0, 12)}…)${ctx.deps.sandbox ? ' [sandbox]' : ''}.`,
      extraContent: [
        { type: 'resource_link', uri: fileUri, name, mimeType: result.mimeType, size: result.bytes },
      ],
    };
  },
});
