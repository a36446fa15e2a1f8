/**
 * Turns the media references an agent gives into what Together accepts: https URLs pass through;
 * local files (inside the allowed roots) and data: URIs are size-checked, type-sniffed and sent as
 * base64; `job:<id>` becomes a fresh URL of an earlier job's video (for continuation and editing).
 * Every problem is reported before anything is sent.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationIssue } from '../models/types.js';
import type { VideoMediaInput } from '../together/types.js';
import { MAX_BYTES, type MediaKind, sniffMedia } from './media-kind.js';

export interface InputContext {
  /** Absolute, real directories local files may come from. */
  inputDirs: readonly string[];
  home: string;
  /** A fresh video URL for a finished job, or an error message saying why there is none. */
  jobVideoUrl(jobId: string): Promise<{ url: string } | { error: string }>;
}

const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

async function inside(file: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const real = await realpath(root).catch(() => undefined);
    if (real && (file === real || file.startsWith(`${real}${path.sep}`))) return true;
  }
  return false;
}

/** Resolves one reference; returns the value to send, or pushes an issue and returns undefined. */
async function resolveRef(
  ref: string,
  kind: MediaKind,
  field: string,
  ctx: InputContext,
  issues: ValidationIssue[],
): Promise<string | undefined> {
  const fail = (message: string): undefined => {
    issues.push({ field, message });
    return undefined;
  };
  if (/^https?:\/\//i.test(ref)) return ref;
  if (ref.startsWith('job:')) {
    if (kind !== 'video') return fail(`job:<id> stands for a video, but this field takes ${kind}.`);
    const found = await ctx.jobVideoUrl(ref.slice(4).trim());
    return 'url' in found ? found.url : fail(found.error);
  }
  let bytes: Buffer;
  if (ref.startsWith('data:')) {
    const m = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?;base64,(.*)$/s.exec(ref);
    if (!m) return fail('is a data: URI that is not base64 (expected data:<type>;base64,<data>).');
    bytes = Buffer.from(m[3] ?? '', 'base64');
  } else if (path.isAbsolute(ref) || ref.startsWith('~/') || ref.startsWith('file://')) {
    const absolute = ref.startsWith('file://')
      ? fileURLToPath(ref)
      : ref.startsWith('~/')
        ? path.join(ctx.home, ref.slice(2))
        : ref;
    const real = await realpath(absolute).catch(() => undefined);
    if (!real) return fail(`no file at ${absolute}.`);
    if (!(await inside(real, ctx.inputDirs))) {
      return fail(
        `${absolute} is outside the allowed input folders (${ctx.inputDirs.join(', ')}); set VIDEO_MCP_INPUT_DIRS to allow another.`,
      );
    }
    const size = (await stat(real)).size;
    if (size > MAX_BYTES[kind])
      return fail(`${absolute} is ${mb(size)}; ${kind} inputs may be at most ${mb(MAX_BYTES[kind])}.`);
    bytes = await readFile(real);
  } else if (/^[A-Za-z0-9+/=\s]{64,}$/.test(ref)) {
    bytes = Buffer.from(ref, 'base64');
  } else {
    return fail('must be an https URL, an absolute file path, a data: URI, base64 data or job:<job_id>.');
  }
  if (bytes.length > MAX_BYTES[kind])
    return fail(`is ${mb(bytes.length)}; ${kind} inputs may be at most ${mb(MAX_BYTES[kind])}.`);
  const sniffed = sniffMedia(bytes);
  if (!sniffed || sniffed.kind !== kind) {
    return fail(
      `is ${sniffed ? `${sniffed.mime}` : 'not a recognised image, video or audio file'}, but this field takes ${kind} (${kind === 'image' ? 'PNG, JPEG, WebP or GIF' : kind === 'video' ? 'MP4, MOV or WebM' : 'WAV, MP3 or M4A'}).`,
    );
  }
  return bytes.toString('base64');
}

/** Resolves every reference in `media`, returning the media to send or the problems found. */
export async function resolveMedia(
  media: VideoMediaInput,
  ctx: InputContext,
): Promise<{ media: VideoMediaInput; issues: ValidationIssue[] }> {
  const issues: ValidationIssue[] = [];
  const out: VideoMediaInput = {};
  const one = (ref: string, kind: MediaKind, field: string) => resolveRef(ref, kind, field, ctx, issues);
  if (media.frame_images) {
    out.frame_images = await Promise.all(
      media.frame_images.map(async (f, i) => ({
        ...f,
        input_image: (await one(f.input_image, 'image', `media.frame_images[${i}].input_image`)) ?? '',
      })),
    );
  }
  if (media.reference_images) {
    out.reference_images = await Promise.all(
      media.reference_images.map(
        async (r, i) => (await one(r, 'image', `media.reference_images[${i}]`)) ?? '',
      ),
    );
  }
  for (const key of ['frame_videos', 'reference_videos'] as const) {
    const list = media[key];
    if (list)
      out[key] = await Promise.all(
        list.map(async (v, i) => ({
          video: (await one(v.video, 'video', `media.${key}[${i}].video`)) ?? '',
        })),
      );
  }
  if (media.source_video !== undefined) {
    const ref = typeof media.source_video === 'string' ? media.source_video : media.source_video.video;
    out.source_video = (await one(ref, 'video', 'media.source_video')) ?? '';
  }
  if (media.audio_inputs) {
    out.audio_inputs = await Promise.all(
      media.audio_inputs.map(
        async (a, i) =>
          (await one(typeof a === 'string' ? a : a.audio, 'audio', `media.audio_inputs[${i}]`)) ?? '',
      ),
    );
  }
  return { media: out, issues };
}
