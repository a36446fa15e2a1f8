/** Media rules: which media fields a model takes, how many items, and where its keyframes may sit. */
import { jobRefProblem } from './frame-ref.js';
import { othersThatDo } from './lookup.js';
import {
  MEDIA_FIELDS,
  type MediaArgs,
  type MediaField,
  refsIn,
  refsWithPaths,
  whatOf,
} from './media-fields.js';
import type { CreateVideoArgs } from './schema.js';
import type { KeyframePosition, ModelCapabilities, ValidationIssue } from './types.js';

/** "<model> takes no keyframes. Models that do: ..." for a media field the model refuses. */
export function mediaRefusal(m: ModelCapabilities, field: MediaField): string {
  return `${m.id} takes no ${whatOf(field)}.${othersThatDo((o) => o.media[field] !== undefined, m)}`;
}

function keyframePosition(
  frame: number | 'first' | 'last' | undefined,
  index: number,
  count: number,
  lastFrame: number | undefined,
): KeyframePosition | number {
  if (frame === 'first' || frame === 'last') return frame;
  if (frame === undefined) return index === 0 ? 'first' : index === count - 1 ? 'last' : index;
  if (frame === 0) return 'first';
  if (lastFrame !== undefined && frame >= lastFrame) return 'last';
  return frame;
}

function checkCounts(
  m: ModelCapabilities,
  media: NonNullable<CreateVideoArgs['media']>,
  issues: ValidationIssue[],
) {
  for (const field of MEDIA_FIELDS) {
    const refs = refsIn(media, field);
    const n = refs.length;
    const rule = m.media[field];
    if (n > 0 && !rule) {
      const accepted = MEDIA_FIELDS.filter((f) => m.media[f]);
      issues.push({
        field: `media.${field}`,
        message: `is not accepted: ${mediaRefusal(m, field)}${accepted.length ? '' : ` ${m.id} takes no media.`}`,
        allowed: accepted,
      });
    } else if (rule && n > rule.max) {
      issues.push({
        field: `media.${field}`,
        message: `has ${n} items; ${m.id} accepts at most ${rule.max}.`,
        nearest: rule.max,
      });
    } else if (rule?.required && n === 0) {
      issues.push({ field: `media.${field}`, message: `is required by ${m.id}.` });
    }
    refs.forEach((ref, i) => {
      if (!ref.trim())
        issues.push({ field: `media.${field}[${i}]`, message: 'is empty; give a URL (or base64 data).' });
    });
  }
}

/** `job:` references spelled wrong, or a frame given where a video belongs: told before any look-up. */
function checkJobRefs(media: MediaArgs, issues: ValidationIssue[]): void {
  for (const { ref, kind, at } of refsWithPaths(media)) {
    const problem = jobRefProblem(ref, kind);
    if (problem) issues.push({ field: at, ...problem });
  }
}

export function checkMedia(
  m: ModelCapabilities,
  args: CreateVideoArgs,
  seconds: number,
  issues: ValidationIssue[],
): void {
  const media = args.media ?? {};
  checkCounts(m, media, issues);
  checkJobRefs(media, issues);
  const frames = media.frame_images;
  if (!frames?.length || !m.media.frame_images) return;
  const fps = args.fps ?? m.fps[0];
  const lastFrame = fps !== undefined ? seconds * fps - 1 : undefined;
  const positions = frames.map((f, i) => keyframePosition(f.frame, i, frames.length, lastFrame));
  const seen = new Set<string>();
  positions.forEach((position, i) => {
    const field = `media.frame_images[${i}].frame`;
    if (typeof position === 'number' || !m.keyframes.includes(position)) {
      // Only a position the model takes and no other frame holds: applying it must leave nothing to fix.
      const free = m.keyframes.filter((k) => !positions.includes(k));
      const nearest = free.includes('last') && position !== 'first' ? 'last' : free[0];
      const wanted = typeof position === 'number' ? 'mid-clip' : position;
      const others =
        typeof position === 'string' ? othersThatDo((o) => o.keyframes.includes(position), m) : '';
      issues.push({
        field,
        message: `${typeof position === 'number' ? `frame ${position} (mid-clip)` : `a "${position}" keyframe`} is not supported by ${m.id}; it takes keyframes at: ${m.keyframes.join(' and ')}.${others}`,
        allowed: m.keyframes,
        ...(nearest && wanted !== nearest ? { nearest } : {}),
      });
    } else if (seen.has(position)) {
      issues.push({ field, message: `two keyframes are both at "${position}"; give each position once.` });
    }
    if (typeof position === 'string') seen.add(position);
  });
}
