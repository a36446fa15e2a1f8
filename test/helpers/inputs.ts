/** Inputs the input-media tests share: a real image and create_video arguments that carry it. */

/** A real 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A model that takes a first keyframe, asked to return at once. */
export const FRAME_MODEL = {
  model: 'ByteDance/Seedance-1.0-lite',
  prompt: 'the picture comes alive',
  wait_seconds: 0,
};

/** create_video's arguments with `file` as the first keyframe. */
export function withFrame(file: string): Record<string, unknown> {
  return { ...FRAME_MODEL, media: { frame_images: [{ input_image: file, frame: 'first' }] } };
}

/** Wan's video edit, which takes one `media.source_video`, asked to return at once. */
export const EDIT_MODEL = {
  model: 'Wan-AI/wan2.7-videoedit',
  prompt: 'make it snow',
  resolution: '720P',
  ratio: '16:9',
  wait_seconds: 0,
};
