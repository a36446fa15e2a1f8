/** Small builders that keep the catalog readable: one line per fact, defaults shared by families. */
import type { Dimension, KeyframePosition, ModelCapabilities, Sizing } from '../types.js';

export function dims(...sizes: string[]): Sizing {
  const dimensions: Dimension[] = sizes.map((s) => {
    const [w, h] = s.split('x').map(Number);
    return { width: w ?? 0, height: h ?? 0 };
  });
  const first = dimensions[0];
  if (!first) throw new Error('a dimensions model needs at least one size');
  return { mode: 'dimensions', dimensions, default: first };
}

export function resolutions(res: string[], ratios: string[] = []): Sizing {
  const [defaultResolution] = res;
  if (!defaultResolution) throw new Error('a resolution model needs at least one resolution');
  const sizing: Sizing = { mode: 'resolution', resolutions: res, ratios, defaultResolution };
  if (ratios[0]) sizing.defaultRatio = ratios[0];
  return sizing;
}

export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Keyframes live in media.frame_images; their positions and count come together. */
export function keyframes(positions: KeyframePosition[]): Pick<ModelCapabilities, 'keyframes' | 'media'> {
  return { keyframes: positions, media: positions.length ? { frame_images: { max: positions.length } } : {} };
}

export type ModelSpec = Omit<ModelCapabilities, 'outputFormats' | 'negativePromptMax' | 'prompt'> &
  Partial<Pick<ModelCapabilities, 'outputFormats' | 'negativePromptMax' | 'prompt'>>;

export function model(spec: ModelSpec): ModelCapabilities {
  return {
    outputFormats: ['MP4', 'WEBM'],
    negativePromptMax: 2000,
    prompt: { min: 2, max: 3000, required: true },
    ...spec,
  };
}
