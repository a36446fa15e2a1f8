/**
 * The media a create request may carry, each field described once in MEDIA: the kind of media it
 * holds, whether it holds a list, and how an item is written. create_video's schema, the request
 * types, `MediaField`, the list of fields, the per-model checks and the resolution of references
 * (files/input-media.ts) all derive from it: a new field is one line here plus its rule in the catalog.
 */
import { z } from 'zod';

export type MediaKind = 'image' | 'video' | 'audio';

/** Turns one reference into what is sent; `at` is where it sits after `media.<field>` ("[0].video"). */
type ResolveRef = (ref: string, at: string) => Promise<string>;
/** The same, told the kind of media the field holds and the whole path ("media.frame_videos[0].video"). */
export type ResolveMediaRef = (ref: string, kind: MediaKind, field: string) => Promise<string>;

/** One way an item is written: its schema, where its reference sits, and what is sent once that is resolved. */
interface ItemShape<S extends z.ZodType, Sent> {
  schema: S;
  /** Path of the reference inside the item; '' when the item is the reference. */
  at: string;
  refOf(item: z.output<S>): string;
  withRef(item: z.output<S>, ref: string): Sent;
}

const itemShape = <S extends z.ZodType, Sent>(shape: ItemShape<S, Sent>) => shape;

// Media references stay uncapped: data: URIs are large on purpose and have their own limits.
const videoObject = z.strictObject({ video: z.string() });

/** A bare reference. */
const ref = itemShape({ schema: z.string(), at: '', refOf: (r) => r, withRef: (_r, sent) => sent });

/** `{video}`, sent as `{video}`. */
const video = itemShape({
  schema: videoObject,
  at: '.video',
  refOf: (v) => v.video,
  withRef: (_v, sent) => ({ video: sent }),
});

/** A reference or an object holding one, sent as the bare reference. */
const refOr = <S extends z.ZodType>(object: S, refOf: (o: z.output<S>) => string) =>
  itemShape({
    schema: z.union([z.string(), object]),
    at: '',
    refOf: (r) => (typeof r === 'string' ? r : refOf(r)),
    withRef: (_r, sent) => sent,
  });

const refOrVideo = refOr(videoObject, (v) => v.video);
const refOrAudio = refOr(z.strictObject({ audio: z.string() }), (a) => a.audio);

/** A keyframe: `{input_image, frame}`, sent with the image resolved and its frame as given. */
const keyframe = itemShape({
  schema: z.strictObject({
    input_image: z.string(),
    frame: z.union([z.number().int().min(0).max(100_000), z.enum(['first', 'last'])]).optional(),
  }),
  at: '.input_image',
  refOf: (f) => f.input_image,
  withRef: (f, sent) => ({ ...f, input_image: sent }),
});

/** What the checks and the resolver need of a field, whatever its items: V as written, Sent as sent. */
interface FieldSpec<V, Sent> {
  kind: MediaKind;
  /** The field in words, for "<model> takes no <what>". */
  what: string;
  refs(value: V): string[];
  resolve(value: V, resolveRef: ResolveRef): Promise<Sent>;
}

function list<S extends z.ZodType, Sent>(
  kind: MediaKind,
  what: string,
  item: ItemShape<S, Sent>,
  description?: string,
) {
  const schema = z.array(item.schema).optional();
  return {
    kind,
    what,
    schema: description === undefined ? schema : schema.describe(description),
    refs: (value: z.output<S>[]) => value.map((it) => item.refOf(it)),
    resolve: (value: z.output<S>[], resolveRef: ResolveRef) =>
      Promise.all(
        value.map(async (it, i) => item.withRef(it, await resolveRef(item.refOf(it), `[${i}]${item.at}`))),
      ),
  };
}

function single<S extends z.ZodType, Sent>(kind: MediaKind, what: string, item: ItemShape<S, Sent>) {
  return {
    kind,
    what,
    schema: item.schema.optional(),
    refs: (value: z.output<S>) => [item.refOf(value)],
    resolve: async (value: z.output<S>, resolveRef: ResolveRef) =>
      item.withRef(value, await resolveRef(item.refOf(value), item.at)),
  };
}

/** Every media field, in the order tools/list shows them. */
const MEDIA = {
  frame_images: list('image', 'keyframes', keyframe, 'Keyframes, frame "first"/"last" (default: in order).'),
  frame_videos: list('video', 'video to continue', video),
  reference_images: list('image', 'reference images', ref),
  reference_videos: list('video', 'reference videos', video),
  source_video: single('video', 'video to edit', refOrVideo),
  audio_inputs: list('audio', 'audio input', refOrAudio),
};

export type MediaField = keyof typeof MEDIA;
/** Each field's value as written and as sent, worked out once so a generic field name can index them. */
type AsWritten = { [K in MediaField]: Parameters<(typeof MEDIA)[K]['refs']>[0] };
type AsSent = { [K in MediaField]: Awaited<ReturnType<(typeof MEDIA)[K]['resolve']>> };

/** MEDIA seen one field at a time, so a field's value and its spec stay paired under a generic name. */
const SPECS: { [K in MediaField]: FieldSpec<AsWritten[K], AsSent[K]> } = MEDIA;

/** Each field's schema under its name: the shape of `media`. */
function schemasOf<T extends Record<string, { schema: z.ZodType }>>(fields: T) {
  const shape = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema]));
  // The one assertion: TypeScript types fromEntries as a plain record; each key holds exactly its field's schema.
  return shape as { [K in keyof T]: T[K]['schema'] };
}

export const mediaSchema = z.strictObject(schemasOf(MEDIA));

export const MEDIA_FIELDS: readonly MediaField[] = mediaSchema.keyof().options;

/** The media of a request as written (what the schema gives) and as sent once every reference is resolved. */
export type MediaArgs = { [K in MediaField]?: AsWritten[K] | undefined };
export type MediaSent = { [K in MediaField]?: AsSent[K] };

export const whatOf = (field: MediaField): string => SPECS[field].what;

/** The references in one field, in order; none when it is absent. A single value counts as one. */
export function refsIn<K extends MediaField>(media: MediaArgs, field: K): string[] {
  const value = media[field];
  return value === undefined ? [] : SPECS[field].refs(value);
}

async function resolveField<K extends MediaField>(
  media: MediaArgs,
  field: K,
  sent: MediaSent,
  resolveRef: ResolveMediaRef,
): Promise<void> {
  const value = media[field];
  if (value === undefined) return;
  const spec = SPECS[field];
  sent[field] = await spec.resolve(value, (r, at) => resolveRef(r, spec.kind, `media.${field}${at}`));
}

/** `media` with every reference replaced by what `resolveRef` makes of it: field by field, items in parallel. */
export async function resolveRefs(media: MediaArgs, resolveRef: ResolveMediaRef): Promise<MediaSent> {
  const sent: MediaSent = {};
  for (const field of MEDIA_FIELDS) await resolveField(media, field, sent, resolveRef);
  return sent;
}
