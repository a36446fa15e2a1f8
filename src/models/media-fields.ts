/**
 * The media a create request may carry, each field described once in MEDIA: its schema, the kind of
 * media it holds, and where an object item keeps its reference. create_video's schema, the request
 * type, `MediaField`, the list of fields, the per-model checks and the resolution of references
 * (files/input-media.ts) all derive from it: a new field is one entry here plus its rule in the catalog.
 */
import { z } from 'zod';

export type MediaKind = 'image' | 'video' | 'audio';

/** Turns one reference into what is sent, told the kind of media and the path ("media.frame_videos[0].video"). */
export type ResolveMediaRef = (ref: string, kind: MediaKind, field: string) => Promise<string>;

interface MediaFieldSpec {
  schema: z.ZodType;
  kind: MediaKind;
  /** The field in words, for "<model> takes no <what>". */
  what: string;
  /** The key under which an object item holds its reference (a field of bare references has none). */
  key?: string;
  /** An object item is sent as its bare reference, rather than as itself with the reference resolved. */
  sendBare?: boolean;
}

// Media references stay uncapped: data: URIs are large on purpose and have their own limits.
const video = z.strictObject({ video: z.string() });

/** Every media field, in the order tools/list shows them. */
const MEDIA = {
  frame_images: {
    schema: z
      .array(
        z.strictObject({
          input_image: z.string(),
          frame: z.union([z.number().int().min(0).max(100_000), z.enum(['first', 'last'])]).optional(),
        }),
      )
      .optional()
      .describe('Keyframes (frame default: in order).'),
    kind: 'image',
    what: 'keyframes',
    key: 'input_image',
  },
  frame_videos: { schema: z.array(video).optional(), kind: 'video', what: 'video to continue', key: 'video' },
  reference_images: { schema: z.array(z.string()).optional(), kind: 'image', what: 'reference images' },
  reference_videos: {
    schema: z.array(video).optional(),
    kind: 'video',
    what: 'reference videos',
    key: 'video',
  },
  source_video: {
    schema: z.union([z.string(), video]).optional(),
    kind: 'video',
    what: 'video to edit',
    key: 'video',
    sendBare: true,
  },
  audio_inputs: {
    schema: z.array(z.union([z.string(), z.strictObject({ audio: z.string() })])).optional(),
    kind: 'audio',
    what: 'audio input',
    key: 'audio',
    sendBare: true,
  },
} satisfies Record<string, MediaFieldSpec>;

export type MediaField = keyof typeof MEDIA;

const shape = Object.fromEntries(Object.entries(MEDIA).map(([name, field]) => [name, field.schema]));
// TypeScript types fromEntries as a plain record; each key holds exactly its field's schema.
export const mediaSchema = z.strictObject(shape as { [K in MediaField]: (typeof MEDIA)[K]['schema'] });

export const MEDIA_FIELDS: readonly MediaField[] = mediaSchema.keyof().options;

/** The media of a request as written; once resolved it still fits, every reference now a string. */
export type MediaArgs = z.output<typeof mediaSchema>;

export const whatOf = (field: MediaField): string => MEDIA[field].what;

type Item = string | Record<string, unknown>;

/** A field's value as items: a single value is one, an absent one none. */
const itemsOf = (value: MediaArgs[MediaField]): Item[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function refOf(item: Item, key = ''): string {
  // The schema makes an object item hold its reference, a string, under its field's key.
  return typeof item === 'string' ? item : (item[key] as string);
}

/** The references in one field, in order; none when it is absent. A single value counts as one. */
export function refsIn(media: MediaArgs, field: MediaField): string[] {
  const { key }: MediaFieldSpec = MEDIA[field];
  return itemsOf(media[field]).map((item) => refOf(item, key));
}

/** Where one reference sits, as error messages name it: "media.frame_images[0].input_image". */
function pathOf(field: MediaField, list: boolean, index: number, item: Item): string {
  const { key, sendBare }: MediaFieldSpec = MEDIA[field];
  const at = `media.${field}${list ? `[${index}]` : ''}`;
  return typeof item === 'string' || sendBare ? at : `${at}.${key}`;
}

/** Every reference in `media` with its kind of media and its path, field by field, in order. */
export function refsWithPaths(media: MediaArgs): { ref: string; kind: MediaKind; at: string }[] {
  return MEDIA_FIELDS.flatMap((field) => {
    const { kind, key }: MediaFieldSpec = MEDIA[field];
    const list = Array.isArray(media[field]);
    return itemsOf(media[field]).map((item, i) => ({
      ref: refOf(item, key),
      kind,
      at: pathOf(field, list, i, item),
    }));
  });
}

/** `media` with every reference replaced by what `resolveRef` makes of it: field by field, items in parallel. */
export async function resolveRefs(media: MediaArgs, resolveRef: ResolveMediaRef): Promise<MediaArgs> {
  const sent: Record<string, unknown> = {};
  for (const field of MEDIA_FIELDS) {
    const value = media[field];
    if (value === undefined) continue;
    const { kind, key = '', sendBare }: MediaFieldSpec = MEDIA[field];
    const list = Array.isArray(value);
    const items = itemsOf(value).map(async (item, i) => {
      const sent = await resolveRef(refOf(item, key), kind, pathOf(field, list, i, item));
      return typeof item === 'string' || sendBare ? sent : { ...item, [key]: sent };
    });
    sent[field] = list ? await Promise.all(items) : await items[0];
  }
  // Each reference became a string, which every field takes where it took the reference.
  return sent as MediaArgs;
}
