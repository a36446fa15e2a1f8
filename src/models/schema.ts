/**
 * create_video's input: one flat object (no top-level unions, which some clients drop), with enums
 * and descriptions generated from the registry so the schema and the validation cannot drift.
 * Every object is strict: an argument the schema does not name is refused, never dropped.
 */
import { z } from 'zod';
import { CATALOG } from './catalog/index.js';
import { MODEL_ID_MAX } from './lookup.js';
import { mediaSchema } from './media-fields.js';

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** Models spell labels differently (720p, 720P): either case is accepted and sent as the model spells it. */
const RESOLUTIONS = unique(
  CATALOG.flatMap((m) =>
    m.sizing.mode === 'resolution'
      ? m.sizing.resolutions.flatMap((r) => [r.toLowerCase(), r.toUpperCase()])
      : [],
  ),
);
const RATIOS = unique(CATALOG.flatMap((m) => (m.sizing.mode === 'resolution' ? m.sizing.ratios : [])));
const ids = (pick: (m: (typeof CATALOG)[number]) => boolean): string =>
  CATALOG.filter(pick)
    .map((m) => m.id.split('/').pop())
    .join(', ');

const SEED_MAX = 2_147_483_647;
/** Together's own limit for a prompt; each model's lower limit is checked per model. */
const PROMPT_MAX = 32_000;
const NEGATIVE_PROMPT_MAX = 10_000;

const tooLong = (field: string, max: number) => ({
  error: (issue: { input?: unknown }) =>
    `${field} is ${typeof issue.input === 'string' ? issue.input.length : 'over'} characters; at most ${max} are accepted`,
});

/**
 * Every id, written as a prefix and its endings: an organisation once, and a family of two or more
 * (`kling-`, `veo-`) once more ("google/veo- 2.0 3.0; minimax/ video-01-director hailuo-02"), so
 * that prefix + ending is the id: ~430 bytes less per conversation than the ids written out.
 */
function groupedIds(): string {
  const byOrg = new Map<string, string[]>();
  for (const { id } of CATALOG) {
    const slash = id.indexOf('/');
    const org = id.slice(0, slash + 1);
    byOrg.set(org, [...(byOrg.get(org) ?? []), id.slice(slash + 1)]);
  }
  const groups: string[] = [];
  for (const [org, names] of byOrg) {
    const families = new Map<string, string[]>();
    for (const name of names) {
      const family = name.slice(0, name.indexOf('-') + 1);
      families.set(family, [...(families.get(family) ?? []), name]);
    }
    const singles: string[] = [];
    for (const [family, members] of families) {
      if (family && members.length > 1)
        groups.push(`${org}${family} ${members.map((m) => m.slice(family.length)).join(' ')}`);
      else singles.push(...members);
    }
    if (singles.length) groups.push(`${org} ${singles.join(' ')}`);
  }
  return groups.join('; ');
}

const SEED_ERROR = { error: `seed must be a whole number between 0 and ${SEED_MAX}` };
const MODEL_REQUIRED = 'model is required: a model id such as google/veo-3.0 (see list_video_models)';

export const createVideoFields = {
  model: z
    .string({ error: MODEL_REQUIRED })
    .min(1, { error: MODEL_REQUIRED })
    .max(MODEL_ID_MAX, tooLong('model', MODEL_ID_MAX))
    .describe(`Case-sensitive. Known: ${groupedIds()}`),
  prompt: z
    .string()
    .max(PROMPT_MAX, tooLong('prompt', PROMPT_MAX))
    .optional()
    .describe(`Optional only for ${ids((m) => !m.prompt.required)}.`),
  // Explicit maxima: zod's default for .int() is 2^53, which costs bytes in every tools/list.
  width: z.number().int().min(1).max(8192).optional().describe('Pixels, with height.'),
  height: z.number().int().min(1).max(8192).optional(),
  resolution: z
    .enum(RESOLUTIONS as [string, ...string[]], {
      error: `resolution must be one of ${RESOLUTIONS.join(', ')}`,
    })
    .optional()
    .describe('Not with width/height. Either case.'),
  ratio: z
    .enum(RATIOS as [string, ...string[]], { error: `ratio must be one of ${RATIOS.join(', ')}` })
    .optional(),
  seconds: z
    .union([z.number().positive(), z.string().regex(/^\d+$/)], {
      error: 'seconds must be a whole number of seconds, e.g. 5',
    })
    .optional(),
  fps: z.number().int().min(1).max(120).optional(),
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
  seed: z.number(SEED_ERROR).int(SEED_ERROR).min(0, SEED_ERROR).max(SEED_MAX, SEED_ERROR).optional(),
  output_format: z.enum(['MP4', 'WEBM'], { error: 'output_format must be MP4 or WEBM' }).optional(),
  output_quality: z.number().int().min(0).max(100).optional().describe('Lower is better (default 20).'),
  negative_prompt: z
    .string()
    .max(NEGATIVE_PROMPT_MAX, tooLong('negative_prompt', NEGATIVE_PROMPT_MAX))
    .optional(),
  generate_audio: z.boolean().optional(),
  media: mediaSchema
    .optional()
    .describe('Refs: https URL, absolute path, data: URI or job:<job_id>. Per model: list_video_models.'),
};

export type CreateVideoArgs = z.output<z.ZodObject<typeof createVideoFields>>;

/** The create body as sent: the arguments, `seconds` as the string the API takes. */
export type CreateVideoBody = Omit<CreateVideoArgs, 'seconds'> & { seconds?: string };
