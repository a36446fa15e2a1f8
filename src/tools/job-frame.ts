/**
 * One frame of an earlier job's video, for `job:<id>#last-frame` (and `#first-frame`, `#t=<seconds>`):
 * taken from the job's saved file (downloaded first when it is not saved yet), at the video's own
 * size (the registry states no image limits tighter than that), as a JPEG sent like a local image.
 * Every refusal here comes before anything paid is sent.
 */
import { AbortedError, UserFacingError } from '../errors.js';
import { ENABLE_FRAMES } from '../frames/frame-tools.js';
import { grabFrame } from '../frames/grab-frames.js';
import { probeVideo } from '../frames/probe.js';
import { mayAccessJob } from '../jobs/ownership.js';
import { JobNotReadyError, saveJobVideo } from '../jobs/save-video.js';
import { unknownJobMessage } from '../jobs/unknown-job.js';
import type { FrameAt } from '../models/frame-ref.js';
import type { ToolContext } from './context.js';
import { describeError } from './tool-error.js';

export type FrameAnswer = { bytes: Buffer } | { error: string; nearest?: string };

const fragmentOf = (at: FrameAt): string =>
  at === 'first' ? 'first-frame' : at === 'last' ? 'last-frame' : `t=${at}`;

/** Cancellation and crashes are the call's to handle; expected failures become the field's error. */
function expected(error: unknown, ctx: ToolContext): error is UserFacingError {
  return error instanceof UserFacingError && !(error instanceof AbortedError) && !ctx.signal.aborted;
}

export async function takeJobFrame(ctx: ToolContext, jobId: string, at: FrameAt): Promise<FrameAnswer> {
  const ref = `job:${jobId}#${fragmentOf(at)}`;
  if (!(await mayAccessJob(ctx.deps.ledger, ctx.deps.owner, jobId)))
    return { error: unknownJobMessage(jobId, ctx.deps) };
  const tools = await ctx.deps.frameTools();
  if (!tools)
    return {
      error: `${ref} needs ffmpeg to take the frame, and this server has none. ${ENABLE_FRAMES} Until then, pass the frame as an image file or URL.`,
    };
  let file: string;
  try {
    file = (await saveJobVideo(ctx.deps, jobId, { signal: ctx.signal })).file.path;
  } catch (error) {
    if (!expected(error, ctx)) throw error;
    const unknown = unknownJobMessage(jobId, ctx.deps);
    if (error instanceof JobNotReadyError)
      return {
        error:
          error.message === unknown
            ? unknown
            : `${ref}: job ${jobId} has no video to take a frame from. ${error.message}`,
      };
    return {
      error: `${ref}: the video of job ${jobId} could not be saved to take a frame from: ${describeError(error)}`,
    };
  }
  try {
    const facts = await probeVideo(tools, file, ctx.signal);
    if (typeof at === 'number' && at > facts.durationSeconds)
      return {
        error: `${ref} is past the end: the video of job ${jobId} is ${facts.durationSeconds} s long. Give a time from 0 to ${facts.durationSeconds}, or #last-frame for its end.`,
        nearest: `job:${jobId}#last-frame`,
      };
    const still = await grabFrame(tools, file, facts, at, undefined, ctx.signal);
    ctx.logger.debug('frame taken for a job: input', {
      job_id: jobId,
      at: still.at,
      bytes: still.data.length,
    });
    return { bytes: still.data };
  } catch (error) {
    if (!expected(error, ctx)) throw error;
    return { error: `${ref}: no frame could be taken from ${file}: ${describeError(error)}` };
  }
}
