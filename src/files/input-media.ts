/**
 * Turns the media references an agent gives into what Together accepts: https URLs pass through;
 * local files (inside the allowed roots) and data: URIs are size-checked, type-sniffed and sent as
 * base64; `job:<id>` becomes a fresh URL of an earlier job's video (for continuation and editing),
 * and `job:<id>#last-frame` (or `#first-frame`, `#t=<seconds>`) one frame of it, sent like a local image.
 * Every problem is reported before anything is sent.
 */
import { type FrameAt, framesHint, isRefProblem, jobRefProblem, parseJobRef } from '../models/frame-ref.js';
import { type MediaArgs, type MediaKind, resolveRefs } from '../models/media-fields.js';
import type { ValidationIssue } from '../models/types.js';
import { isLocalRef, type LocalInputContext, mb, readLocalInput } from './local-input.js';
import {
  INLINE_MAX_BYTES,
  MAX_BYTES,
  REQUEST_MEDIA_MAX_BYTES,
  STDIO_MESSAGE_MAX_BYTES,
  sniffMedia,
} from './media-kind.js';

export interface InputContext extends LocalInputContext {
  /** A fresh video URL for a finished job, or an error message saying why there is none. */
  jobVideoUrl(jobId: string): Promise<{ url: string } | { error: string }>;
  /** One frame of a finished job's video as an image (its file saved first if it is not yet). */
  jobFrame(
    jobId: string,
    at: FrameAt,
  ): Promise<{ bytes: Buffer } | { error: string; nearest?: string | undefined }>;
}

const KIND_FORMATS: Record<MediaKind, string> = {
  image: 'PNG, JPEG, WebP or GIF',
  video: 'MP4, MOV or WebM',
  audio: 'WAV, MP3 or M4A',
};

/**
 * What one create may carry as base64, counted as inputs are resolved (in parallel), so a request
 * over the limits is refused before large files are read into memory.
 */
class MediaBudget {
  private inline = 0;
  private total = 0;

  constructor(private readonly ctx: InputContext) {}

  claim(bytes: number, kind: MediaKind, inline: boolean): string | undefined {
    if (inline && this.inline + bytes > INLINE_MAX_BYTES) {
      const what = this.inline > 0 ? `with the other inline inputs, ${mb(this.inline + bytes)}` : mb(bytes);
      return (
        `is inline data (${what}); inline data (data: URIs and base64) may total at most ${mb(INLINE_MAX_BYTES)} ` +
        `per call, because one MCP message over stdio is capped at ${mb(STDIO_MESSAGE_MAX_BYTES)}. ${this.largerInputHint(kind)}`
      );
    }
    if (this.total + bytes > REQUEST_MEDIA_MAX_BYTES) {
      return (
        `would take the media sent in this request to ${mb(this.total + bytes)}; one create_video may send at most ` +
        `${mb(REQUEST_MEDIA_MAX_BYTES)} of files and inline data. Pass large media as https URLs.`
      );
    }
    if (inline) this.inline += bytes;
    this.total += bytes;
    return undefined;
  }

  private largerInputHint(kind: MediaKind): string {
    const url = 'pass an https URL';
    if (this.ctx.remote && this.ctx.inputDirs.length === 0) return `Instead, ${url}.`;
    return `Instead, save it as a file in an allowed input folder and pass its absolute path (${kind} files up to ${mb(MAX_BYTES[kind])}), or ${url}.`;
  }
}

/** Inline base64 from a data: URI or a bare base64 string; undefined when `ref` is neither. */
function inlineBase64(ref: string): { base64: string } | { error: string } | undefined {
  if (ref.startsWith('data:')) {
    const m = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?;base64,(.*)$/s.exec(ref);
    if (!m) return { error: 'is a data: URI that is not base64 (expected data:<type>;base64,<data>).' };
    return { base64: m[3] ?? '' };
  }
  // An absolute path can look like base64 ("/home/me/clips"); it is a path.
  if (!isLocalRef(ref) && /^[A-Za-z0-9+/=\s]{64,}$/.test(ref)) return { base64: ref };
  return undefined;
}

type JobInput = { url: string } | { bytes: Buffer } | { error: string; nearest?: string | undefined };

/** `job:<id>` as a fresh URL of its video, or `job:<id>#<frame>` as the bytes of that frame. */
async function resolveJobRef(
  ref: string,
  kind: MediaKind,
  ctx: InputContext,
  budget: MediaBudget,
): Promise<JobInput> {
  // Validation already refused these for registry models; models outside it meet them here.
  const problem = jobRefProblem(ref, kind);
  if (problem) return { error: problem.message, nearest: problem.nearest };
  const job = parseJobRef(ref);
  if (!job || isRefProblem(job)) return { error: 'is not a job:<job_id> reference.' };
  if (job.frame === undefined) {
    if (kind === 'image') {
      const hint = framesHint(job.jobId);
      return { error: hint.message, nearest: hint.nearest };
    }
    if (kind !== 'video') return { error: `job:<id> stands for a video, but this field takes ${kind}.` };
    return ctx.jobVideoUrl(job.jobId);
  }
  const frame = await ctx.jobFrame(job.jobId, job.frame);
  if ('error' in frame) return frame;
  const refusal = budget.claim(frame.bytes.length, kind, false);
  return refusal ? { error: refusal } : frame;
}

/** Resolves one reference; returns the value to send, or pushes an issue and returns undefined. */
async function resolveRef(
  ref: string,
  kind: MediaKind,
  field: string,
  ctx: InputContext,
  budget: MediaBudget,
  issues: ValidationIssue[],
): Promise<string | undefined> {
  const fail = (message: string, nearest?: string | undefined): undefined => {
    issues.push({ field, message, ...(nearest !== undefined ? { nearest } : {}) });
    return undefined;
  };
  if (/^https?:\/\//i.test(ref)) return ref;
  let bytes: Buffer;
  const inline = inlineBase64(ref);
  if (inline && 'error' in inline) return fail(inline.error);
  if (ref.startsWith('job:')) {
    const job = await resolveJobRef(ref, kind, ctx, budget);
    if ('error' in job) return fail(job.error, job.nearest);
    if ('url' in job) return job.url;
    bytes = job.bytes;
  } else if (inline) {
    // Measured before decoding, so an oversized string is refused without a second copy in memory.
    const size = Buffer.byteLength(inline.base64, 'base64');
    if (size > MAX_BYTES[kind])
      return fail(`is ${mb(size)}; ${kind} inputs may be at most ${mb(MAX_BYTES[kind])}.`);
    const refusal = budget.claim(size, kind, true);
    if (refusal) return fail(refusal);
    bytes = Buffer.from(inline.base64, 'base64');
  } else if (isLocalRef(ref)) {
    const read = await readLocalInput(
      ref,
      { max: MAX_BYTES[kind], kind, claim: (size) => budget.claim(size, kind, false) },
      ctx,
    );
    if ('error' in read) return fail(read.error);
    bytes = read.bytes;
  } else {
    return fail('must be an https URL, an absolute file path, a data: URI, base64 data or job:<job_id>.');
  }
  if (bytes.length > MAX_BYTES[kind])
    return fail(`is ${mb(bytes.length)}; ${kind} inputs may be at most ${mb(MAX_BYTES[kind])}.`);
  const sniffed = sniffMedia(bytes);
  if (!sniffed || sniffed.kind !== kind) {
    return fail(
      `is ${sniffed ? `${sniffed.mime}` : 'not a recognised image, video or audio file'}, but this field takes ${kind} (${KIND_FORMATS[kind]}).`,
    );
  }
  return bytes.toString('base64');
}

/** Resolves every reference in `media`, returning the media to send or the problems found. */
export async function resolveMedia(
  media: MediaArgs,
  ctx: InputContext,
): Promise<{ media: MediaArgs; issues: ValidationIssue[] }> {
  const issues: ValidationIssue[] = [];
  const budget = new MediaBudget(ctx);
  const sent = await resolveRefs(
    media,
    async (ref, kind, field) => (await resolveRef(ref, kind, field, ctx, budget, issues)) ?? '',
  );
  return { media: sent, issues };
}
