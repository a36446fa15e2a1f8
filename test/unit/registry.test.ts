import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  estimateCostUsd,
  getModel,
  levenshtein,
  listModels,
  suggestModels,
} from '../../src/models/lookup.js';
import { type CreateVideoArgs, createVideoFields } from '../../src/models/schema.js';
import type { ModelCapabilities } from '../../src/models/types.js';
import { formatIssues, validateCreateVideo } from '../../src/models/validate.js';

/** Every id Together's docs and together-api.md §5 name. */
const DOCUMENTED = [
  'minimax/video-01-director',
  'minimax/hailuo-02',
  'google/veo-2.0',
  'ByteDance/Seedance-1.0-pro',
  'ByteDance/Seedance-1.0-lite',
  'pixverse/pixverse-v5',
  'kwaivgI/kling-2.1-standard',
  'vidu/vidu-q1',
  'openai/sora-2',
  'openai/sora-2-pro',
  'pixverse/pixverse-v5.6',
  'pixverse/pixverse-v6',
  'Wan-AI/wan2.7-t2v',
  'Wan-AI/wan2.7-i2v',
  'Wan-AI/wan2.7-r2v',
  'Wan-AI/wan2.7-videoedit',
  'vidu/vidu-q3',
  'vidu/vidu-q3-turbo',
  'ByteDance/Seedance-2.0',
  'ByteDance/Seedance-2.5',
  'google/veo-3.1',
  'google/veo-3.1-lite',
  'alibaba/happyhorse-1.0-t2v',
  'alibaba/happyhorse-1.0-i2v',
  'alibaba/happyhorse-1.0-r2v',
  'alibaba/happyhorse-1.1-t2v',
  'alibaba/happyhorse-1.1-i2v',
  'alibaba/happyhorse-1.1-r2v',
  'MiniMaxAI/MiniMax-H3',
  'google/veo-3.0',
  'google/veo-3.0-audio',
  'google/veo-3.0-fast',
  'google/veo-3.0-fast-audio',
  'kwaivgI/kling-2.1-master',
  'kwaivgI/kling-2.1-pro',
  'kwaivgI/kling-2.0-master',
  'kwaivgI/kling-1.6-standard',
  'kwaivgI/kling-1.6-pro',
  'Wan-AI/Wan2.2-I2V-A14B',
  'Wan-AI/Wan2.2-T2V-A14B',
  'vidu/vidu-2.0',
];

/** The smallest request a model must accept, built from its own defaults. */
function defaultsOf(m: ModelCapabilities): CreateVideoArgs {
  const args: CreateVideoArgs = { model: m.id, seconds: m.defaultSeconds };
  if (m.prompt.required) args.prompt = 'a lighthouse at dawn';
  if (m.sizing.mode === 'dimensions')
    Object.assign(args, { width: m.sizing.default.width, height: m.sizing.default.height });
  else {
    args.resolution = m.sizing.defaultResolution;
    if (m.sizing.defaultRatio) args.ratio = m.sizing.defaultRatio;
  }
  if (m.media.source_video?.required) args.media = { source_video: 'https://example.com/in.mp4' };
  return args;
}

const check = (args: CreateVideoArgs, allowUnknownModels = false) =>
  validateCreateVideo(args, { allowUnknownModels });

function issuesOf(args: CreateVideoArgs) {
  const result = check(args);
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(args)}`);
  return result.issues;
}

describe('registry integrity', () => {
  it('holds every documented model exactly once, spelt as Together spells it', () => {
    const ids = listModels().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(26);
    for (const id of DOCUMENTED) expect(ids).toContain(id);
  });

  it("accepts each model's own defaults, and each model's facts are consistent", () => {
    for (const m of listModels()) {
      const result = check(defaultsOf(m));
      expect(result.ok, `${m.id}: ${result.ok ? '' : formatIssues(result.issues)}`).toBe(true);
      expect(m.durations).toContain(m.defaultSeconds);
      expect(m.price.usd).toBeGreaterThan(0);
      expect(m.typicalGenerationSeconds).toBeGreaterThan(0);
      expect(m.prompt.max).toBeLessThanOrEqual(32_000);
      if (m.keyframes.length) expect(m.media.frame_images?.max).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('per-model validation', () => {
  it('names the nearest size the model can make', () => {
    const [issue] = issuesOf({
      model: 'ByteDance/Seedance-1.0-lite',
      prompt: 'a cat',
      width: 1000,
      height: 500,
    });
    expect(issue?.field).toBe('width/height');
    expect(issue?.allowed).toContain('864x480');
    expect(issue?.nearest).toBe('864x480');
    const wide = issuesOf({
      model: 'ByteDance/Seedance-1.0-lite',
      prompt: 'a cat',
      width: 1500,
      height: 640,
    });
    expect(wide[0]?.nearest).toBe('1504x640');
  });

  it('names the nearest duration', () => {
    expect(issuesOf({ model: 'google/veo-3.0', prompt: 'a cat', seconds: 10 })[0]).toMatchObject({
      field: 'seconds',
      nearest: 8,
    });
    expect(
      issuesOf({
        model: 'Wan-AI/wan2.7-r2v',
        prompt: 'a cat',
        media: { reference_images: ['u'] },
        seconds: 12,
      })[0],
    ).toMatchObject({
      field: 'seconds',
      nearest: 10,
    });
  });

  it('steers resolution models away from width/height and fixes label case', () => {
    const sized = issuesOf({ model: 'Wan-AI/wan2.7-t2v', prompt: 'a cat', width: 1280, height: 720 });
    expect(sized[0]?.message).toMatch(/resolution/);
    expect(String(sized[0]?.nearest)).toBe('resolution 720P, ratio 16:9');
    // Either case is accepted and sent as the model spells it.
    const wan = check({ model: 'Wan-AI/wan2.7-t2v', prompt: 'a cat', resolution: '720p' });
    expect(wan.ok && wan.request.resolution).toBe('720P');
    const seedance = check({ model: 'ByteDance/Seedance-2.5', prompt: 'a cat', resolution: '720P' });
    expect(seedance.ok && seedance.request.resolution).toBe('720p');
    expect(issuesOf({ model: 'Wan-AI/wan2.7-t2v', prompt: 'a cat', resolution: '480p' })[0]).toMatchObject({
      field: 'resolution',
      nearest: '720P',
    });
    expect(issuesOf({ model: 'ByteDance/Seedance-2.5', prompt: 'a cat', ratio: '16:9' })[0]?.field).toBe(
      'ratio',
    );
  });

  it('refuses fps on a model that sets its own', () => {
    expect(issuesOf({ model: 'openai/sora-2', prompt: 'a cat', fps: 24 })[0]?.message).toMatch(
      /sets its own frame rate/,
    );
  });

  it('reads keyframe positions: 0 is first, the last frame is last, mid-clip and duplicates are refused', () => {
    const frame = (f: number | 'first' | 'last') => ({ input_image: 'https://example.com/a.png', frame: f });
    expect(
      check({
        model: 'ByteDance/Seedance-1.0-lite',
        prompt: 'a cat',
        media: { frame_images: [frame(0), frame(119)] },
      }).ok,
    ).toBe(true);
    expect(
      issuesOf({
        model: 'ByteDance/Seedance-1.0-lite',
        prompt: 'a cat',
        media: { frame_images: [frame(50)] },
      })[0]?.field,
    ).toBe('media.frame_images[0].frame');
    expect(
      issuesOf({
        model: 'ByteDance/Seedance-1.0-lite',
        prompt: 'a cat',
        media: { frame_images: [frame('first'), frame('first')] },
      })[0]?.message,
    ).toMatch(/both at "first"/);
    expect(
      issuesOf({ model: 'google/veo-3.0', prompt: 'a cat', media: { frame_images: [frame('last')] } })[0],
    ).toMatchObject({ nearest: 'first' });
  });

  it('enforces media fields, counts and required inputs', () => {
    const empty = issuesOf({
      model: 'google/veo-3.0',
      prompt: 'a cat',
      media: { frame_images: [{ input_image: ' ' }] },
    });
    expect(empty[0]).toMatchObject({
      field: 'media.frame_images[0]',
      message: expect.stringMatching(/empty/),
    });
    expect(issuesOf({ model: 'Wan-AI/wan2.7-videoedit', prompt: 'make it snow' })[0]?.field).toBe(
      'media.source_video',
    );
    const tooMany = issuesOf({
      model: 'Wan-AI/wan2.7-i2v',
      prompt: 'a cat',
      media: { frame_videos: [{ video: 'a' }, { video: 'b' }] },
    });
    expect(tooMany[0]).toMatchObject({ field: 'media.frame_videos', nearest: 1 });
    const rejected = issuesOf({
      model: 'google/veo-3.0',
      prompt: 'a cat',
      media: { reference_images: ['u'] },
    });
    expect(rejected[0]?.allowed).toEqual(['frame_images']);
  });

  it('checks negative_prompt, output_format and audio against the model', () => {
    expect(
      issuesOf({ model: 'minimax/hailuo-02', prompt: 'a cat', negative_prompt: 'blur' })[0]?.message,
    ).toMatch(/not supported/);
    expect(issuesOf({ model: 'Wan-AI/wan2.7-t2v', prompt: 'a cat', output_format: 'WEBM' })[0]).toMatchObject(
      { nearest: 'MP4' },
    );
    expect(issuesOf({ model: 'google/veo-3.0', prompt: 'a cat', generate_audio: true })[0]?.field).toBe(
      'generate_audio',
    );
    expect(issuesOf({ model: 'pixverse/pixverse-v5', prompt: 'x'.repeat(2049) })[0]?.message).toMatch(
      /2048.*by 1/,
    );
  });

  it('warns (but accepts) a guidance_scale above 12', () => {
    const result = check({ model: 'google/veo-3.0', prompt: 'a cat', guidance_scale: 15 });
    expect(result.ok && result.warnings.join(' ')).toMatch(/above 12/);
  });

  it('suggests the closest ids for an unknown model, or passes it through when allowed', () => {
    expect(suggestModels('wan2.7-t2v')[0]).toBe('Wan-AI/wan2.7-t2v');
    expect(suggestModels('GOOGLE/VEO-3.0')[0]).toBe('google/veo-3.0');
    expect(issuesOf({ model: 'google/veo-3', prompt: 'a cat' })[0]).toMatchObject({
      field: 'model',
      nearest: 'google/veo-3.0',
    });
    const passed = check({ model: 'newco/model-9', prompt: 'a cat', seconds: '7' }, true);
    expect(passed.ok && passed.request).toEqual({ model: 'newco/model-9', prompt: 'a cat', seconds: '7' });
    expect(passed.ok && passed.warnings[0]).toMatch(/not in this server's registry/);
  });

  it('bounds the closest-id work, however long the id (45 s for 4 MB before)', () => {
    const started = performance.now();
    const huge = validateCreateVideo(
      { model: 'g'.repeat(4 * 1024 * 1024), prompt: 'a cat' },
      { allowUnknownModels: false },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(huge.ok ? '' : huge.issues[0]?.message.length).toBeLessThan(500);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('kitten', 'sitting', 2)).toBe(2);
    expect(levenshtein('a'.repeat(1000), 'b', 5)).toBe(5);
  });

  it('sends seconds as a string whether given as a number or a string', () => {
    for (const seconds of [5, '5'] as const) {
      const result = check({ model: 'ByteDance/Seedance-1.0-lite', prompt: 'a cat', seconds });
      expect(result.ok && result.request.seconds).toBe('5');
    }
  });

  it('prices per video and per second, and formats issues with allowed and nearest values', () => {
    const veo = getModel('google/veo-3.0');
    const wan = getModel('Wan-AI/wan2.7-t2v');
    if (!veo || !wan) throw new Error('registry lost a model');
    expect(estimateCostUsd(veo, 8)).toBe(1.6);
    expect(estimateCostUsd(wan, 10)).toBe(1);
    const text = formatIssues([{ field: 'seconds', message: 'too long.', allowed: [5, 10], nearest: 10 }]);
    expect(text).toBe('- seconds: too long. Allowed: 5, 10. Nearest valid: 10.');
  });
});

describe('create_video schema', () => {
  const schema = z.object(createVideoFields);

  it('is one flat object within its size budget', () => {
    const json = z.toJSONSchema(schema);
    expect(json.type).toBe('object');
    for (const key of ['anyOf', 'oneOf', 'allOf']) expect(json).not.toHaveProperty(key);
    expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThan(4_500);
  });

  it('gives clear messages for wrong types', () => {
    const seed = schema.safeParse({ model: 'google/veo-3.0', seed: 1.5 });
    expect(seed.success).toBe(false);
    expect(seed.error?.issues[0]?.message).toMatch(/whole number/);
    const steps = schema.safeParse({ model: 'google/veo-3.0', steps: 60 });
    expect(steps.error?.issues[0]?.message).toMatch(/10-50/);
  });
});
