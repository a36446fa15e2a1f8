import { z } from 'zod';
import { jobInputsOf } from '../models/job-inputs.js';
import { estimateCostUsd, listModels, MODEL_ID_MAX } from '../models/lookup.js';
import type { ModelCapabilities } from '../models/types.js';
import { defineTool } from './define-tool.js';

const modelShape = z.object({
  id: z.string(),
  organization: z.string(),
  display_name: z.string(),
  tasks: z.array(z.string()),
  durations: z.array(z.number()),
  default_seconds: z.number(),
  sizes: z.array(z.string()).optional(),
  resolutions: z.array(z.string()).optional(),
  ratios: z.array(z.string()).optional(),
  fps: z.array(z.number()),
  keyframes: z.array(z.string()),
  media: z.array(z.string()),
  from_job: z.array(z.string()),
  prompt_max: z.number(),
  prompt_required: z.boolean(),
  audio: z.string(),
  price_usd: z.number(),
  price_per: z.string(),
  default_cost_usd: z.number(),
  typical_generation_seconds: z.number(),
  notes: z.string().optional(),
});

type ModelSummary = z.output<typeof modelShape>;

function summarise(m: ModelCapabilities): ModelSummary {
  const out: ModelSummary = {
    id: m.id,
    organization: m.organization,
    display_name: m.displayName,
    tasks: m.tasks,
    durations: m.durations,
    default_seconds: m.defaultSeconds,
    fps: m.fps,
    keyframes: m.keyframes,
    media: Object.keys(m.media),
    from_job: jobInputsOf(m),
    prompt_max: m.prompt.max,
    prompt_required: m.prompt.required,
    audio: m.audio,
    price_usd: m.price.usd,
    price_per: m.price.per,
    default_cost_usd: estimateCostUsd(m, m.defaultSeconds),
    typical_generation_seconds: m.typicalGenerationSeconds,
  };
  if (m.sizing.mode === 'dimensions') out.sizes = m.sizing.dimensions.map((d) => `${d.width}x${d.height}`);
  else {
    out.resolutions = m.sizing.resolutions;
    if (m.sizing.ratios.length) out.ratios = m.sizing.ratios;
  }
  if (m.notes) out.notes = m.notes;
  return out;
}

export const listVideoModels = defineTool({
  name: 'list_video_models',
  title: 'List video models',
  description:
    'Video models: what each accepts (durations, sizes, fps, keyframes, media, audio), price. Filters combine.',
  kind: 'read-only',
  openWorld: false,
  input: {
    organization: z.string().max(MODEL_ID_MAX).optional().describe('e.g. google, openai'),
    task: z.enum(['t2v', 'i2v', 'r2v', 'edit']).optional(),
    keyframe: z.enum(['first', 'last']).optional(),
    audio: z.boolean().optional(),
    min_seconds: z.number().positive().optional(),
    max_cost_usd: z.number().positive().optional(),
    query: z.string().max(MODEL_ID_MAX).optional(),
  },
  // Items are loose in the advertised schema: the per-model fields are listed in the description.
  output: { models: z.array(z.looseObject({ id: z.string() })), count: z.number() },
  async handle(args) {
    const org = args.organization?.toLowerCase();
    const query = args.query?.toLowerCase();
    const models = listModels()
      .filter(
        (m) => !org || m.organization.toLowerCase().includes(org) || m.id.toLowerCase().startsWith(`${org}/`),
      )
      .filter((m) => !args.task || m.tasks.includes(args.task))
      .filter((m) => !args.keyframe || m.keyframes.includes(args.keyframe))
      .filter((m) => args.audio === undefined || (m.audio !== 'none') === args.audio)
      .filter((m) => args.min_seconds === undefined || Math.max(...m.durations) >= args.min_seconds)
      .filter(
        (m) => args.max_cost_usd === undefined || estimateCostUsd(m, m.defaultSeconds) <= args.max_cost_usd,
      )
      .filter((m) => !query || `${m.id} ${m.displayName}`.toLowerCase().includes(query))
      .map(summarise);
    const lines = models.map(
      (m) =>
        `${m.id}: ${m.durations.join('/')}s, ${m.sizes?.length ? `${m.sizes.length} sizes` : m.resolutions?.join('/')}, ~$${m.default_cost_usd.toFixed(2)}`,
    );
    const text = models.length
      ? `${models.length} model(s):\n${lines.join('\n')}`
      : 'No model matches these filters; call list_video_models with fewer filters.';
    return { structured: { models, count: models.length }, text };
  },
});
