/** Wan (Alibaba) and HappyHorse. Sources: together-api.md §2 (Wan 2.7 quickstart) and §5. */
import type { ModelCapabilities as M, ModelCapabilities } from '../types.js';
import { dims, keyframes, model, range, resolutions } from './build.js';

const WAN27_SIZING = resolutions(['1080P', '720P'], ['16:9', '9:16', '1:1', '4:3', '3:4']);
const WAN27_COMMON = {
  organization: 'Alibaba',
  sizing: WAN27_SIZING,
  fps: [30],
  defaultSeconds: 5,
  prompt: { min: 1, max: 5000, required: true },
  negativePromptMax: 500,
  outputFormats: ['MP4'] as M['outputFormats'],
  price: { usd: 0.1, per: 'second' } as M['price'],
  typicalGenerationSeconds: 180,
};

function happyhorse(version: '1.0' | '1.1', task: 't2v' | 'i2v' | 'r2v', usd: number): ModelCapabilities {
  const media: M['media'] =
    task === 'i2v' ? { frame_images: { max: 1 } } : task === 'r2v' ? { reference_images: { max: 4 } } : {};
  return model({
    id: `alibaba/happyhorse-${version}-${task}`,
    organization: 'Alibaba',
    displayName: `HappyHorse ${version} ${task.toUpperCase()}`,
    tasks: [task],
    // assumed: Together lists only the price; sized like its sibling Wan 2.7.
    durations: range(2, 10),
    defaultSeconds: 5,
    sizing: WAN27_SIZING,
    fps: [30],
    keyframes: task === 'i2v' ? ['first'] : [],
    media,
    outputFormats: ['MP4'],
    audio: 'none',
    price: { usd, per: 'video' },
    typicalGenerationSeconds: 180,
    notes: 'Capabilities assumed from Wan 2.7; Together lists only the price.',
  });
}

export const wanAlibabaModels: ModelCapabilities[] = [
  model({
    ...WAN27_COMMON,
    id: 'Wan-AI/wan2.7-t2v',
    displayName: 'Wan 2.7 T2V',
    tasks: ['t2v'],
    durations: range(2, 15),
    keyframes: [],
    media: { audio_inputs: { max: 1 } },
    audio: 'always',
  }),
  model({
    ...WAN27_COMMON,
    id: 'Wan-AI/wan2.7-i2v',
    displayName: 'Wan 2.7 I2V',
    tasks: ['i2v'],
    durations: range(2, 15),
    keyframes: ['first', 'last'],
    media: { frame_images: { max: 2 }, frame_videos: { max: 1 }, audio_inputs: { max: 1 } },
    audio: 'optional',
  }),
  model({
    ...WAN27_COMMON,
    id: 'Wan-AI/wan2.7-r2v',
    displayName: 'Wan 2.7 R2V',
    tasks: ['r2v'],
    durations: range(2, 10),
    keyframes: [],
    media: { reference_images: { max: 9 }, reference_videos: { max: 3 } },
    audio: 'none',
  }),
  model({
    ...WAN27_COMMON,
    id: 'Wan-AI/wan2.7-videoedit',
    displayName: 'Wan 2.7 Video Edit',
    tasks: ['edit'],
    durations: range(2, 10),
    keyframes: [],
    media: { source_video: { max: 1, required: true }, reference_images: { max: 1 } },
    audio: 'none',
  }),
  model({
    id: 'Wan-AI/Wan2.2-T2V-A14B',
    organization: 'Alibaba',
    displayName: 'Wan 2.2 T2V A14B',
    tasks: ['t2v'],
    // assumed: Wan 2.2's published 480p/720p sizes and 5 s clips.
    durations: [5],
    defaultSeconds: 5,
    sizing: dims('1280x720', '720x1280', '832x480', '480x832'),
    fps: [16, 24],
    ...keyframes([]),
    audio: 'none',
    price: { usd: 0.66, per: 'video' },
    typicalGenerationSeconds: 240,
  }),
  model({
    id: 'Wan-AI/Wan2.2-I2V-A14B',
    organization: 'Alibaba',
    displayName: 'Wan 2.2 I2V A14B',
    tasks: ['i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: dims('1280x720', '720x1280', '832x480', '480x832'),
    fps: [16, 24],
    ...keyframes(['first']),
    audio: 'none',
    price: { usd: 0.31, per: 'video' },
    typicalGenerationSeconds: 240,
  }),
  happyhorse('1.0', 't2v', 0.24),
  happyhorse('1.0', 'i2v', 0.24),
  happyhorse('1.0', 'r2v', 0.24),
  happyhorse('1.1', 't2v', 0.14),
  happyhorse('1.1', 'i2v', 0.14),
  happyhorse('1.1', 'r2v', 0.14),
];
