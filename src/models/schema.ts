/**
 * create_video's input: one flat object (no top-level unions, which some clients drop), with enums
 * and descriptions generated from the registry so the schema and the validation cannot drift.
 */
import { z } from 'zod';
import { CATALOG } from './catalog/index.js';

const unique = <T>(values: T[]): T[] => [...new Set(values)];

const RESOLUTIONS = unique(
  CATALOG.flatMap((m) => (m.sizing.mode === 'resolution' ? m.sizing.resolutions : [])),
);
const RATIOS = unique(CATALOG.flatMap((m) => (m.sizing.mode === 'resolution' ? m.sizing.ratios : [])));
const ids = (pick: (m: (typeof CATALOG)[number]) => boolean): string =>
  CATALOG.filter(pick)
    .map((m) => m.id.split('/').pop())
    .join(', ');

const videoRef = z.object({ video: z.string() });

export const SEED_MAX = 2_147_483_647;

/** Every id, each organisation written once ("google/ veo-2.0 veo-3.0; openai/ sora-2"): ~250 bytes less per conversation. */
function groupedIds(): string {
  const byOrg = new Map<string, string[]>();
  for (const { id } of CATALOG) {
    const slash = id.indexOf('/');
    const org = id.slice(0, slash + 1);
    byOrg.set(org, [...(byOrg.get(org) ?? []), id.slice(slash + 1)]);
  }
  return [...byOrg].map(([org, names]) => `${org} ${names.join(' ')}`).join('; ');
}

export const createVideoFields = {
  model: z
    .string({ error: 'model is required: a model id such as google/veo-3.0 (see list_video_models)' })
    .min(1, { error: 'model is required: a model id such as google/veo-3.0 (see list_video_models)' })
    .describe(`Model id "org/name", case-sensitive. Known: ${groupedIds()}`),
  prompt: z
    .string()
    .optional()
    .describe(
      `What to show. Limit per model (most 3000 chars). Optional only for ${ids((m) => !m.prompt.required)}.`,
    ),
  // Explicit maxima: zod's default for .int() is 2^53, which costs bytes in every tools/list.
  width: z.number().int().positive().max(8192).optional().describe('Pixels, with height.'),
  height: z.number().int().positive().max(8192).optional(),
  resolution: z
    .enum(RESOLUTIONS as [string, ...string[]], {
      error: `resolution must be one of ${RESOLUTIONS.join(', ')}`,
    })
    .optional()
    .describe('For models sized by resolution, not width/height.'),
  ratio: z
    .enum(RATIOS as [string, ...string[]], { error: `ratio must be one of ${RATIOS.join(', ')}` })
    .optional()
    .describe('Aspect ratio, with resolution.'),
  seconds: z
    .union([z.number().positive(), z.string().regex(/^\d+$/)], {
      error: 'seconds must be a whole number of seconds, e.g. 5',
    })
    .optional()
    .describe('Clip length in seconds.'),
  fps: z.number().int().positive().max(120).optional(),
  steps: z
    .number({ error: 'steps must be a whole number from 10 to 50' })
    .int({ error: 'steps must be a whole number from 10 to 50' })
    .min(10, { error: 'steps must be at least 10 (allowed 10-50)' })
    .max(50, { error: 'steps must be at most 50 (allowed 10-50)' })
    .optional(),
  guidance_scale: z
    .number({ error: 'guidance_scale must be a number such as 8' })
    .positive({ error: 'guidance_scale must be positive (6-10 recommended)' })
    .optional()
    .describe('6-10 recommended.'),
  seed: z
    .number({ error: `seed must be a whole number between 0 and ${SEED_MAX}` })
    .int({ error: `seed must be a whole number between 0 and ${SEED_MAX}` })
    .min(0, { error: `seed must be a whole number between 0 and ${SEED_MAX}` })
    .max(SEED_MAX, { error: `seed must be a whole number between 0 and ${SEED_MAX}` })
    .optional(),
  output_format: z.enum(['MP4', 'WEBM'], { error: 'output_format must be MP4 or WEBM' }).optional(),
  output_quality: z.number().int().min(0).max(100).optional().describe('Lower is better (default 20).'),
  negative_prompt: z.string().optional(),
  generate_audio: z.boolean().optional(),
  media: z
    .object({
      frame_images: z
        .array(
          z.object({
            input_image: z.string(),
            frame: z.union([z.number().int().min(0).max(100_000), z.enum(['first', 'last'])]).optional(),
          }),
        )
        .optional()
        .describe('Keyframes at frame "first"/"last" (default: first, then last).'),
      frame_videos: z.array(videoRef).optional(),
      reference_images: z.array(z.string()).optional(),
      reference_videos: z.array(videoRef).optional(),
      source_video: z.union([z.string(), videoRef]).optional(),
      audio_inputs: z.array(z.union([z.string(), z.object({ audio: z.string() })])).optional(),
    })
    .optional()
    .describe(
      'Each ref: https URL, absolute file path, data: URI or job:<job_id>. Fields per model: list_video_models.',
    ),
};

export type CreateVideoArgs = z.output<z.ZodObject<typeof createVideoFields>>;
