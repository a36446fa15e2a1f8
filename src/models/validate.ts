/**
 * Per-model validation of a create_video request. Collects every problem at once, each naming the
 * field, what the model allows and the nearest valid value, so an agent can fix the request in one go
 * and nothing reaches the paid API that the model would refuse.
 */
import type { CreateVideoRequest } from '../together/types.js';
import { estimateCostUsd, getModel, suggestModels } from './lookup.js';
import type { CreateVideoArgs } from './schema.js';
import type { KeyframePosition, MediaField, ModelCapabilities, ValidationIssue } from './types.js';
import { checkSizing } from './validate-sizing.js';

export type ValidationResult =
  | {
      ok: true;
      request: CreateVideoRequest;
      model?: ModelCapabilities;
      warnings: string[];
      estimatedCostUsd?: number;
    }
  | { ok: false; issues: ValidationIssue[] };

const MEDIA_FIELDS: MediaField[] = [
  'frame_images',
  'frame_videos',
  'reference_images',
  'reference_videos',
  'source_video',
  'audio_inputs',
];

export function nearestNumber(value: number, allowed: readonly number[]): number | undefined {
  return [...allowed].sort((a, b) => Math.abs(a - value) - Math.abs(b - value) || a - b)[0];
}

function countOf(value: unknown): number {
  if (value === undefined) return 0;
  return Array.isArray(value) ? value.length : 1;
}

function checkPrompt(m: ModelCapabilities, args: CreateVideoArgs, issues: ValidationIssue[]): void {
  const prompt = args.prompt;
  if (prompt === undefined || prompt.trim() === '') {
    if (m.prompt.required)
      issues.push({
        field: 'prompt',
        message: `is required for ${m.id} (${m.prompt.min}-${m.prompt.max} characters).`,
      });
    return;
  }
  if (prompt.length > m.prompt.max) {
    issues.push({
      field: 'prompt',
      message: `is ${prompt.length} characters; ${m.id} accepts at most ${m.prompt.max} (shorten it by ${prompt.length - m.prompt.max}).`,
    });
  } else if (prompt.length < m.prompt.min) {
    issues.push({ field: 'prompt', message: `must be at least ${m.prompt.min} characters for ${m.id}.` });
  }
  const negative = args.negative_prompt;
  if (negative !== undefined && m.negativePromptMax === 0) {
    issues.push({
      field: 'negative_prompt',
      message: `is not supported by ${m.id}; remove it (describe what you want in prompt instead).`,
    });
  } else if (negative !== undefined && negative.length > m.negativePromptMax) {
    issues.push({
      field: 'negative_prompt',
      message: `is ${negative.length} characters; ${m.id} accepts at most ${m.negativePromptMax}.`,
    });
  }
}

function checkTiming(
  m: ModelCapabilities,
  args: CreateVideoArgs,
  seconds: number | undefined,
  issues: ValidationIssue[],
): void {
  if (seconds !== undefined && !m.durations.includes(seconds)) {
    const nearest = nearestNumber(seconds, m.durations);
    issues.push({
      field: 'seconds',
      message: `${m.id} cannot make a ${seconds}-second clip.`,
      allowed: m.durations,
      ...(nearest !== undefined ? { nearest } : {}),
    });
  }
  if (args.fps !== undefined && !m.fps.includes(args.fps)) {
    const nearest = nearestNumber(args.fps, m.fps);
    issues.push({
      field: 'fps',
      message: m.fps.length
        ? `${m.id} does not render at ${args.fps} fps.`
        : `${m.id} sets its own frame rate; remove fps.`,
      ...(m.fps.length ? { allowed: m.fps } : {}),
      ...(nearest !== undefined ? { nearest } : {}),
    });
  }
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

/** The URL or data inside any media item shape: a string, {video}, {audio} or {input_image}. */
function urlOf(item: unknown): string {
  if (typeof item === 'string') return item;
  if (typeof item !== 'object' || item === null) return '';
  const o = item as { video?: unknown; audio?: unknown; input_image?: unknown };
  return String(o.video ?? o.audio ?? o.input_image ?? '');
}

function checkMedia(
  m: ModelCapabilities,
  args: CreateVideoArgs,
  seconds: number,
  issues: ValidationIssue[],
): void {
  const media = args.media ?? {};
  const accepted = MEDIA_FIELDS.filter((f) => m.media[f]);
  for (const field of MEDIA_FIELDS) {
    const n = countOf(media[field]);
    const rule = m.media[field];
    if (n > 0 && !rule) {
      issues.push({
        field: `media.${field}`,
        message: `is not accepted by ${m.id}. ${accepted.length ? `It accepts: ${accepted.map((f) => `media.${f}`).join(', ')}.` : 'It takes no media inputs.'}`,
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
  }
  for (const field of MEDIA_FIELDS) {
    const items = media[field] === undefined ? [] : ([] as unknown[]).concat(media[field]);
    items.forEach((item, i) => {
      if (!urlOf(item).trim())
        issues.push({ field: `media.${field}[${i}]`, message: 'is empty; give a URL (or base64 data).' });
    });
  }
  const frames = media.frame_images;
  if (!frames?.length || !m.media.frame_images) return;
  const fps = args.fps ?? m.fps[0];
  const lastFrame = fps !== undefined ? seconds * fps - 1 : undefined;
  const seen = new Set<string>();
  frames.forEach((f, i) => {
    const position = keyframePosition(f.frame, i, frames.length, lastFrame);
    const field = `media.frame_images[${i}].frame`;
    if (typeof position === 'number' || !m.keyframes.includes(position)) {
      issues.push({
        field,
        message: `${typeof position === 'number' ? `frame ${position} (mid-clip)` : `a "${position}" keyframe`} is not supported by ${m.id}; it takes keyframes at: ${m.keyframes.join(' and ')}.`,
        allowed: m.keyframes,
        ...(m.keyframes[0]
          ? { nearest: m.keyframes.includes('last') && position !== 'first' ? 'last' : m.keyframes[0] }
          : {}),
      });
    } else if (seen.has(position)) {
      issues.push({ field, message: `two keyframes are both at "${position}"; give each position once.` });
    }
    if (typeof position === 'string') seen.add(position);
  });
}

function toRequest(args: CreateVideoArgs, seconds: number | undefined): CreateVideoRequest {
  const request: CreateVideoRequest = { model: args.model };
  const { model: _model, seconds: _seconds, ...rest } = args;
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (request as unknown as Record<string, unknown>)[key] = value;
  }
  if (seconds !== undefined) request.seconds = String(seconds);
  return request;
}

export function validateCreateVideo(
  args: CreateVideoArgs,
  options: { allowUnknownModels: boolean },
): ValidationResult {
  const issues: ValidationIssue[] = [];
  const warnings: string[] = [];
  const seconds = args.seconds === undefined ? undefined : Number(args.seconds);
  if (seconds !== undefined && !Number.isInteger(seconds)) {
    issues.push({
      field: 'seconds',
      message: `must be a whole number of seconds; got ${args.seconds}.`,
      nearest: Math.round(seconds),
    });
  }
  if (args.guidance_scale !== undefined && args.guidance_scale > 12) {
    warnings.push(
      `guidance_scale ${args.guidance_scale} is above 12, which tends to produce artifacts; 6-10 is recommended.`,
    );
  }
  const m = getModel(args.model);
  if (!m) {
    if (!options.allowUnknownModels) {
      const suggestions = suggestModels(args.model);
      issues.push({
        field: 'model',
        message: `"${args.model}" is not a known video model (ids are case-sensitive). Closest: ${suggestions.join(', ')}. Call list_video_models for all of them; the server admin can allow unknown ids with VIDEO_MCP_ALLOW_UNKNOWN_MODELS=1.`,
        ...(suggestions[0] ? { nearest: suggestions[0] } : {}),
      });
      return { ok: false, issues };
    }
    warnings.push(
      `${args.model} is not in this server's registry; it was sent as is, so only generic checks ran.`,
    );
    if (issues.length) return { ok: false, issues };
    return { ok: true, request: toRequest(args, seconds), warnings };
  }
  checkPrompt(m, args, issues);
  checkSizing(m, args, issues);
  checkTiming(m, args, Number.isInteger(seconds) ? seconds : undefined, issues);
  checkMedia(m, args, seconds ?? m.defaultSeconds, issues);
  if (args.output_format !== undefined && !m.outputFormats.includes(args.output_format)) {
    issues.push({
      field: 'output_format',
      message: `${m.id} only produces ${m.outputFormats.join(' or ')}.`,
      allowed: m.outputFormats,
      ...(m.outputFormats[0] ? { nearest: m.outputFormats[0] } : {}),
    });
  }
  if (args.generate_audio === true && m.audio === 'none') {
    issues.push({
      field: 'generate_audio',
      message: `${m.id} cannot generate audio; remove generate_audio or pick a model with audio (list_video_models audio: true).`,
    });
  }
  if (args.generate_audio === false && m.audio === 'always')
    warnings.push(`${m.id} always generates audio; generate_audio: false may be ignored.`);
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    request: toRequest(args, seconds),
    model: m,
    warnings,
    estimatedCostUsd: estimateCostUsd(m, seconds ?? m.defaultSeconds),
  };
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((i) => {
      const allowed = i.allowed?.length ? ` Allowed: ${i.allowed.join(', ')}.` : '';
      const nearest = i.nearest !== undefined ? ` Nearest valid: ${i.nearest}.` : '';
      return `- ${i.field}: ${i.message}${allowed}${nearest}`;
    })
    .join('\n');
}
