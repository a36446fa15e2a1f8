/** Google Veo and OpenAI Sora. Sources: together-api.md §5 (SK models table, DOCS price list). */
import type { ModelCapabilities } from '../types.js';
import { dims, keyframes, model } from './build.js';

const VEO3_SIZES = dims('1280x720', '720x1280', '1920x1080', '1080x1920');

function veo3(
  id: string,
  name: string,
  usd: number,
  audio: 'none' | 'always',
  typical: number,
): ModelCapabilities {
  return model({
    id,
    organization: 'Google',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    durations: [8],
    defaultSeconds: 8,
    sizing: VEO3_SIZES,
    fps: [24],
    ...keyframes(['first']),
    audio,
    price: { usd, per: 'video' },
    typicalGenerationSeconds: typical,
  });
}

function veo31(id: string, name: string, usdPerSecond: number): ModelCapabilities {
  return model({
    id,
    organization: 'Google',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    // assumed: Veo 3.1 clip lengths and first+last frames as Google documents them; Together lists only the price.
    durations: [4, 6, 8],
    defaultSeconds: 8,
    sizing: VEO3_SIZES,
    fps: [24],
    ...keyframes(['first', 'last']),
    audio: 'optional',
    price: { usd: usdPerSecond, per: 'second' },
    typicalGenerationSeconds: 90,
    notes: "Capabilities assumed from Google's Veo 3.1; Together lists only the price.",
  });
}

function sora(id: string, name: string, usd: number, typical: number): ModelCapabilities {
  return model({
    id,
    organization: 'OpenAI',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    durations: [8],
    defaultSeconds: 8,
    sizing: dims('1280x720', '720x1280'),
    fps: [],
    ...keyframes(['first']),
    prompt: { min: 1, max: 4000, required: true },
    negativePromptMax: 0,
    audio: 'always',
    price: { usd, per: 'video' },
    typicalGenerationSeconds: typical,
  });
}

export const googleOpenAiModels: ModelCapabilities[] = [
  model({
    id: 'google/veo-2.0',
    organization: 'Google',
    displayName: 'Veo 2.0',
    tasks: ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: dims('1280x720', '720x1280'),
    fps: [24],
    ...keyframes(['first', 'last']),
    audio: 'none',
    price: { usd: 2.5, per: 'video' },
    typicalGenerationSeconds: 120,
  }),
  veo3('google/veo-3.0', 'Veo 3.0', 1.6, 'none', 120),
  veo3('google/veo-3.0-audio', 'Veo 3.0 (audio)', 3.2, 'always', 150),
  veo3('google/veo-3.0-fast', 'Veo 3.0 Fast', 0.8, 'none', 60),
  veo3('google/veo-3.0-fast-audio', 'Veo 3.0 Fast (audio)', 1.2, 'always', 75),
  veo31('google/veo-3.1', 'Veo 3.1', 0.08),
  veo31('google/veo-3.1-lite', 'Veo 3.1 Lite', 0.05),
  sora('openai/sora-2', 'Sora 2', 0.8, 120),
  sora('openai/sora-2-pro', 'Sora 2 Pro', 2.4, 240),
];
