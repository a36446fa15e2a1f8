/** ByteDance Seedance, PixVerse and Vidu. Sources: together-api.md §2 (Seedance 2.5) and §5. */
import type { ModelCapabilities } from '../types.js';
import { dims, keyframes, model, range, resolutions } from './build.js';

const SEEDANCE_1_SIZES = dims(
  '864x480',
  '736x544',
  '640x640',
  '960x416',
  '416x960',
  '1248x704',
  '1120x832',
  '960x960',
  '1504x640',
  '640x1504',
);

// PixVerse's 20 sizes: 360p, 540p, 720p and 1080p at 16:9, 4:3, 1:1, 3:4 and 9:16.
const PIXVERSE_SIZES = dims(
  '640x360',
  '480x360',
  '360x360',
  '360x480',
  '360x640',
  '960x540',
  '720x540',
  '540x540',
  '540x720',
  '540x960',
  '1280x720',
  '960x720',
  '720x720',
  '720x960',
  '720x1280',
  '1920x1080',
  '1440x1080',
  '1080x1080',
  '1080x1440',
  '1080x1920',
);

const VIDU_SQUARE = dims('1920x1080', '1080x1080', '1080x1920');

function seedance1(id: string, name: string, usd: number): ModelCapabilities {
  return model({
    id,
    organization: 'ByteDance',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: SEEDANCE_1_SIZES,
    fps: [24],
    ...keyframes(['first', 'last']),
    audio: 'none',
    price: { usd, per: 'video' },
    typicalGenerationSeconds: 60,
  });
}

function pixverse(
  id: string,
  name: string,
  price: ModelCapabilities['price'],
  assumed: boolean,
): ModelCapabilities {
  return model({
    id,
    organization: 'PixVerse',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: PIXVERSE_SIZES,
    fps: [16, 24],
    ...keyframes(['first', 'last']),
    prompt: { min: 2, max: 2048, required: true },
    audio: 'none',
    price,
    typicalGenerationSeconds: 60,
    ...(assumed ? { notes: 'Capabilities assumed from PixVerse v5; Together lists only the price.' } : {}),
  });
}

function vidu(
  id: string,
  name: string,
  price: ModelCapabilities['price'],
  notes?: string,
): ModelCapabilities {
  return model({
    id,
    organization: 'Vidu',
    displayName: name,
    tasks: ['t2v', 'i2v'],
    durations: [5],
    defaultSeconds: 5,
    sizing: VIDU_SQUARE,
    fps: [24],
    ...keyframes(['first', 'last']),
    audio: 'none',
    price,
    typicalGenerationSeconds: 90,
    ...(notes ? { notes } : {}),
  });
}

export const bytedancePixverseViduModels: ModelCapabilities[] = [
  seedance1('ByteDance/Seedance-1.0-pro', 'Seedance 1.0 Pro', 0.57),
  seedance1('ByteDance/Seedance-1.0-lite', 'Seedance 1.0 Lite', 0.143),
  model({
    id: 'ByteDance/Seedance-2.0',
    organization: 'ByteDance',
    displayName: 'Seedance 2.0',
    tasks: ['t2v', 'i2v', 'r2v'],
    // assumed: like Seedance 2.5 (480p/720p, 4-15 s); Together lists only the price.
    durations: range(4, 15),
    defaultSeconds: 5,
    sizing: resolutions(['720p', '480p']),
    fps: [24],
    keyframes: ['first', 'last'],
    media: { frame_images: { max: 2 }, reference_images: { max: 9 }, reference_videos: { max: 3 } },
    audio: 'always',
    outputFormats: ['MP4'],
    price: { usd: 0.16, per: 'second' },
    typicalGenerationSeconds: 120,
    notes: 'Capabilities assumed from Seedance 2.5; Together lists only the price.',
  }),
  model({
    id: 'ByteDance/Seedance-2.5',
    organization: 'ByteDance',
    displayName: 'Seedance 2.5',
    tasks: ['t2v', 'i2v', 'r2v'],
    durations: range(4, 30),
    defaultSeconds: 5,
    sizing: resolutions(['720p', '480p']),
    fps: [24],
    keyframes: ['first', 'last'],
    media: { frame_images: { max: 2 }, reference_images: { max: 30 }, reference_videos: { max: 10 } },
    prompt: { min: 2, max: 10_000, required: true },
    audio: 'always',
    outputFormats: ['MP4'],
    price: { usd: 0.115, per: 'second' },
    typicalGenerationSeconds: 120,
    notes: 'frame_images cannot be combined with reference inputs; 720p costs more per second than 480p.',
  }),
  pixverse('pixverse/pixverse-v5', 'PixVerse v5', { usd: 0.3, per: 'video' }, false),
  pixverse('pixverse/pixverse-v5.6', 'PixVerse v5.6', { usd: 0.1326, per: 'second' }, true),
  pixverse('pixverse/pixverse-v6', 'PixVerse v6', { usd: 0.09, per: 'second' }, true),
  model({
    id: 'vidu/vidu-2.0',
    organization: 'Vidu',
    displayName: 'Vidu 2.0',
    tasks: ['t2v', 'i2v', 'r2v'],
    durations: [8],
    defaultSeconds: 8,
    sizing: dims(
      '1920x1080',
      '1080x1920',
      '1080x1080',
      '1280x720',
      '720x1280',
      '720x720',
      '640x360',
      '360x640',
    ),
    fps: [24],
    keyframes: ['first', 'last'],
    // assumed: up to 3 reference images, as in Vidu's own reference-to-video.
    media: { frame_images: { max: 2 }, reference_images: { max: 3 } },
    audio: 'none',
    price: { usd: 0.28, per: 'video' },
    typicalGenerationSeconds: 90,
  }),
  vidu('vidu/vidu-q1', 'Vidu Q1', { usd: 0.22, per: 'video' }),
  vidu(
    'vidu/vidu-q3',
    'Vidu Q3',
    { usd: 0.0975, per: 'second' },
    'Capabilities assumed from Vidu Q1; Together lists only the price.',
  ),
  vidu(
    'vidu/vidu-q3-turbo',
    'Vidu Q3 Turbo',
    { usd: 0.195, per: 'second' },
    'Capabilities assumed from Vidu Q1; Together lists only the price.',
  ),
];
