/** MiniMax (Hailuo) and Kuaishou Kling. Sources: together-api.md §5 (SK models table, DOCS prices). */
import type { ModelCapabilities } from '../types.js';
import { dims, keyframes, model } from './build.js';

const KLING_SQUARE = dims('1920x1080', '1080x1080', '1080x1920');

function kling(
  id: string,
  name: string,
  usd: number,
  opts: {
    frames: ('first' | 'last')[];
    promptOptional?: boolean;
    promptMax?: number;
    fps?: number[];
    sizes?: ReturnType<typeof dims>;
  },
): ModelCapabilities {
  return model({
    id,
    organization: 'Kuaishou',
    displayName: name,
    tasks: opts.promptOptional ? ['i2v', 't2v'] : ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: opts.sizes ?? KLING_SQUARE,
    fps: opts.fps ?? [24],
    ...keyframes(opts.frames),
    prompt: { min: 2, max: opts.promptMax ?? 3000, required: !opts.promptOptional },
    audio: 'none',
    price: { usd, per: 'video' },
    typicalGenerationSeconds: 180,
    ...(opts.promptOptional ? { notes: 'Prompt optional: animate a first-frame image without text.' } : {}),
  });
}

export const minimaxKlingModels: ModelCapabilities[] = [
  model({
    id: 'minimax/video-01-director',
    organization: 'MiniMax',
    displayName: 'Video-01 Director',
    tasks: ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: dims('1366x768'),
    fps: [25],
    ...keyframes(['first']),
    // Together's docs show MiniMax refusing negativePrompt ("unsupportedParameter").
    negativePromptMax: 0,
    audio: 'none',
    price: { usd: 0.28, per: 'video' },
    typicalGenerationSeconds: 150,
  }),
  model({
    id: 'minimax/hailuo-02',
    organization: 'MiniMax',
    displayName: 'Hailuo 02',
    tasks: ['t2v', 'i2v'],
    durations: [10],
    defaultSeconds: 10,
    sizing: dims('1366x768', '1920x1080'),
    fps: [25],
    ...keyframes(['first']),
    negativePromptMax: 0,
    audio: 'none',
    price: { usd: 0.49, per: 'video' },
    typicalGenerationSeconds: 240,
  }),
  model({
    id: 'MiniMaxAI/MiniMax-H3',
    organization: 'MiniMax',
    displayName: 'MiniMax H3',
    tasks: ['t2v', 'i2v'],
    // assumed: Together lists "2k/1s" and a per-second price only.
    durations: [5, 10],
    defaultSeconds: 5,
    sizing: dims('2560x1440', '1440x2560', '1920x1080', '1080x1920'),
    fps: [25],
    ...keyframes(['first']),
    negativePromptMax: 0,
    audio: 'none',
    price: { usd: 0.1391, per: 'second' },
    typicalGenerationSeconds: 240,
    notes: 'Capabilities assumed; Together lists only "2k" and a per-second price.',
  }),
  kling('kwaivgI/kling-2.1-master', 'Kling 2.1 Master', 0.92, { frames: ['first'], promptMax: 2500 }),
  kling('kwaivgI/kling-2.1-standard', 'Kling 2.1 Standard', 0.18, {
    frames: ['first'],
    promptOptional: true,
  }),
  kling('kwaivgI/kling-2.1-pro', 'Kling 2.1 Pro', 0.32, { frames: ['first', 'last'], promptOptional: true }),
  kling('kwaivgI/kling-2.0-master', 'Kling 2.0 Master', 0.92, {
    frames: ['first'],
    sizes: dims('1280x720', '720x720', '720x1280'),
  }),
  kling('kwaivgI/kling-1.6-standard', 'Kling 1.6 Standard', 0.19, { frames: ['first'], fps: [24, 30] }),
  kling('kwaivgI/kling-1.6-pro', 'Kling 1.6 Pro', 0.32, { frames: ['first'], promptOptional: true }),
];
