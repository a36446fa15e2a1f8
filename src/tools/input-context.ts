/** What resolving create_video's media needs from the server: the caller's files, and earlier jobs. */
import type { InputContext } from '../files/input-media.js';
import { mayAccessJob } from '../jobs/ownership.js';
import { unknownJobMessage } from '../jobs/unknown-job.js';
import { NotFoundError } from '../together/errors.js';
import type { ToolContext } from './context.js';
import { takeJobFrame } from './job-frame.js';
import { describeError } from './tool-error.js';

export function inputContext(ctx: ToolContext): InputContext {
  return {
    inputDirs: ctx.deps.inputDirs,
    home: ctx.deps.home,
    remote: ctx.deps.remote,
    async jobVideoUrl(jobId) {
      if (!(await mayAccessJob(ctx.deps.ledger, ctx.deps.owner, jobId)))
        return { error: unknownJobMessage(jobId, ctx.deps) };
      try {
        const job = await ctx.deps.api.retrieveVideo(jobId, { signal: ctx.signal });
        if (job.status === 'completed' && job.videoUrl) return { url: job.videoUrl };
        return {
          error: `job:${jobId} is ${job.status}, so it has no video yet; wait for it with get_video_status.`,
        };
      } catch (error) {
        if (error instanceof NotFoundError) return { error: unknownJobMessage(jobId, ctx.deps) };
        return { error: `job:${jobId} could not be looked up: ${describeError(error)}` };
      }
    },
    jobFrame: (jobId, at) => takeJobFrame(ctx, jobId, at),
  };
}
