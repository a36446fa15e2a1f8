/**
 * Per-model validation of a create_video request. Collects every problem at once, each naming the
 * field, what the model allows and the nearest valid value, so an agent can fix the request in one go
 * and nothing reaches the paid API that the model would refuse.
 */
import { estimateCostUsd, getModel, MODEL_ID_MAX, othersThatDo, suggestModels } from './lookup.js';
import type { CreateVideoArgs, CreateVideoBody } from './schema.js';
import type { ModelCapabilities, ValidationIssue } from './types.js';
import { checkMedia } from './validate-media.js';
import { checkSizing, resolutionSpelling } from './validate-sizing.js';

export type ValidationResult =
  | {
      ok: true;
      request: CreateVideoBody;
      model?: ModelCapabilities;
      warnings: string[];
      estimatedCostUsd?: number;
    }
  | { ok: false; issues: ValidationIssue[] };

export function nearestNumber(value: number, allowed: readonly number[]): number | undefined {
  return [...allowed].sort((a, b) => Math.abs(a - value) - Math.abs(b - value) || a - b)[0];
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
      message: `is not supported by ${m.id}; remove it (describe what you want in prompt instead).${othersThatDo((o) => o.negativePromptMax > 0, m)}`,
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

function toRequest(args: CreateVideoArgs, seconds: number | undefined): CreateVideoBody {
  const { seconds: _given, ...rest } = args;
  return seconds === undefined ? rest : { ...rest, seconds: String(seconds) };
}

export function validateCreateVideo(
  args: CreateVideoArgs,
  options: { allowUnknownModels: boolean },
): ValidationResult {
  const issues: ValidationIssue[] = [];
  const warnings: string[] = [];
  const seconds = args.seconds === undefined ? undefined : Number(args.seconds);
  const m = getModel(args.model);
  if (seconds !== undefined && !Number.isInteger(seconds)) {
    // The nearest length this model makes, not merely the nearest whole number (8.5 -> 8 on an 8-only model).
    const nearest = m ? nearestNumber(seconds, m.durations) : Math.round(seconds);
    issues.push({
      field: 'seconds',
      message: `must be a whole number of seconds; got ${args.seconds}.`,
      ...(m ? { allowed: m.durations } : {}),
      ...(nearest !== undefined ? { nearest } : {}),
    });
  }
  if (args.guidance_scale !== undefined && args.guidance_scale > 12) {
    warnings.push(
      `guidance_scale ${args.guidance_scale} is above 12, which tends to produce artifacts; 6-10 is recommended.`,
    );
  }
  if (!m) {
    if (!options.allowUnknownModels) {
      const suggestions = suggestModels(args.model);
      issues.push({
        field: 'model',
        message: `"${args.model.slice(0, MODEL_ID_MAX)}" is not a known video model (ids are case-sensitive). Closest: ${suggestions.join(', ')}. Call list_video_models for all of them; the server admin can allow unknown ids with VIDEO_MCP_ALLOW_UNKNOWN_MODELS=1.`,
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
      message: `${m.id} cannot generate audio; remove generate_audio or pick a model with audio.${othersThatDo((o) => o.audio !== 'none', m)}`,
    });
  }
  if (args.generate_audio === false && m.audio === 'always')
    warnings.push(`${m.id} always generates audio; generate_audio: false may be ignored.`);
  if (issues.length) return { ok: false, issues };
  // Either case is accepted; the model gets its own spelling ("720p" -> "720P" for Wan).
  const spelling = args.resolution !== undefined ? resolutionSpelling(m, args.resolution) : undefined;
  return {
    ok: true,
    request: toRequest(spelling ? { ...args, resolution: spelling } : args, seconds),
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
