/**
 * `job:<id>` references and their frame fragments: `job:<id>` is an earlier job's whole video;
 * `job:<id>#last-frame`, `#first-frame` and `#t=<seconds>` are one frame of it, an image (the way to
 * continue a clip on a model that takes keyframes). Only the spelling is checked here, so a bad one
 * is refused with the rest of the request; the frame itself is taken when media is resolved.
 */
import type { MediaKind } from './media-fields.js';

export type FrameAt = 'first' | 'last' | number;

export type JobRef = { jobId: string; frame: FrameAt | undefined };

export interface RefProblem {
  message: string;
  nearest?: string;
}

const FRAGMENTS = '#last-frame, #first-frame or #t=<seconds>';
const LAST = ['last', 'lastframe', 'end', 'endframe', 'final', 'finalframe', 'tail', 'lastimage', 'ending'];
const FIRST = ['first', 'firstframe', 'start', 'startframe', 'begin', 'beginning', 'firstimage', 'head'];
const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The fragment an agent most likely meant by one that is not ours (`#last`, `#t=2s`), if any. */
function meantFragment(fragment: string): string | undefined {
  const plain = fragment.toLowerCase().replace(/[\s_-]/g, '');
  if (LAST.includes(plain)) return 'last-frame';
  if (FIRST.includes(plain)) return 'first-frame';
  const time = /^(?:t|time|at|ts|seconds?|sec|s)?[=:]?(\d+(?:\.\d+)?)(?:s|sec|seconds?)?$/.exec(plain);
  return time ? `t=${Number(time[1])}` : undefined;
}

function timeOf(fragment: string, jobId: string): FrameAt | RefProblem {
  const value = fragment.slice(2).trim();
  const ref = `job:${jobId}#t=`;
  if (SECONDS.test(value)) return Number(value);
  const meant = meantFragment(fragment);
  if (/^-\s*\d/.test(value))
    return {
      message: `asks for the frame at ${value} s, before the clip starts; times count from 0 (${ref}0 is the first frame).`,
      nearest: `job:${jobId}#first-frame`,
    };
  return {
    message: `#t= takes the seconds into the clip as a plain number, 0 or more (e.g. ${ref}2.5); got "${value.slice(0, 40)}".`,
    ...(meant ? { nearest: `job:${jobId}#${meant}` } : {}),
  };
}

/** A `job:` reference read, a problem with its spelling, or undefined when `ref` is not one. */
export function parseJobRef(ref: string): JobRef | RefProblem | undefined {
  if (!ref.startsWith('job:')) return undefined;
  const hash = ref.indexOf('#');
  const jobId = (hash < 0 ? ref.slice(4) : ref.slice(4, hash)).trim();
  if (!jobId)
    return { message: 'names no job: write job:<job_id> (the id create_video returned), e.g. job:abc123.' };
  if (hash < 0) return { jobId, frame: undefined };
  const fragment = ref.slice(hash + 1).trim();
  if (fragment === 'last-frame') return { jobId, frame: 'last' };
  if (fragment === 'first-frame') return { jobId, frame: 'first' };
  if (fragment.startsWith('t=')) {
    const at = timeOf(fragment, jobId);
    return typeof at === 'object' ? at : { jobId, frame: at };
  }
  const meant = meantFragment(fragment);
  return {
    message: `"#${fragment.slice(0, 40)}" names no frame; a frame of job ${jobId} is job:${jobId} followed by ${FRAGMENTS}.`,
    ...(meant ? { nearest: `job:${jobId}#${meant}` } : {}),
  };
}

export const isRefProblem = (parsed: JobRef | RefProblem): parsed is RefProblem => 'message' in parsed;

/**
 * What is wrong with a `job:` reference in a field of this kind that can be told without looking the
 * job up, or undefined. `job:<id>` alone on an image field is left to resolution, which says why.
 */
export function jobRefProblem(ref: string, kind: MediaKind): RefProblem | undefined {
  const parsed = parseJobRef(ref);
  if (!parsed) return undefined;
  if (isRefProblem(parsed)) return parsed;
  if (parsed.frame === undefined || kind === 'image') return undefined;
  return {
    message: `is one frame of job ${parsed.jobId} (an image), but this field takes ${kind === 'video' ? 'a video: job:<id> alone passes the whole clip' : kind}.`,
    ...(kind === 'video' ? { nearest: `job:${parsed.jobId}` } : {}),
  };
}

/** The words for a job reference on an image field that names no frame: how to name one. */
export function framesHint(jobId: string): RefProblem {
  return {
    message: `job:<id> stands for a video, but this field takes image. For one frame of it, add ${FRAGMENTS} (job:${jobId}#last-frame continues the clip from its end).`,
    nearest: `job:${jobId}#last-frame`,
  };
}
