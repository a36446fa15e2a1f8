/**
 * "Nearest valid" is always a value the model accepts: over every registry model and a spread of bad
 * inputs, each `nearest` the validator suggests, applied to the request, leaves nothing to fix in
 * that field.
 */
import { describe, expect, it } from 'vitest';
import { listModels } from '../../src/models/lookup.js';
import type { CreateVideoArgs } from '../../src/models/schema.js';
import type { ModelCapabilities, ValidationIssue } from '../../src/models/types.js';
import { formatIssues, validateCreateVideo } from '../../src/models/validate.js';

type Args = CreateVideoArgs & Record<string, unknown>;

function base(m: ModelCapabilities): Args {
  const args: Args = { model: m.id, prompt: 'a lighthouse at dawn' };
  if (m.media.source_video?.required) args.media = { source_video: 'https://example.com/in.mp4' };
  return args;
}

const img = (frame?: number | 'first' | 'last') => ({
  input_image: 'https://example.com/a.png',
  ...(frame !== undefined ? { frame } : {}),
});

/** Bad (or merely unusual) inputs, each layered on a request the model accepts. */
const VARIANTS: Partial<Args>[] = [
  ...[0.5, 1, 3, 4.5, 7, 8.5, 11, 16, 99].map((seconds) => ({ seconds })),
  ...[1, 15, 23, 25, 60, 120].map((fps) => ({ fps })),
  ...[
    [100, 100],
    [1000, 500],
    [1920, 1080],
    [1080, 1920],
    [4000, 1000],
    [720, 720],
  ].map(([width, height]) => ({ width, height })),
  { width: 1280 },
  { height: 720 },
  ...['480p', '720P', '1080p', '1080P', '720p'].map((resolution) => ({ resolution })),
  ...['16:9', '9:16', '1:1', '4:3', '3:4'].map((ratio) => ({ ratio })),
  { resolution: '1080p', ratio: '9:16' },
  { output_format: 'WEBM' as const },
  { media: { frame_images: [img(), img(), img()] } },
  { media: { frame_images: [img(50)] } },
  { media: { frame_images: [img('last')] } },
  { media: { frame_images: [img('first'), img(50)] } },
  { media: { reference_images: Array.from({ length: 40 }, () => 'https://example.com/r.png') } },
  { media: { frame_videos: [{ video: 'a' }, { video: 'b' }] } },
];

function merge(a: Args, b: Partial<Args>): Args {
  const out: Args = { ...a, ...b };
  if (a.media || b.media) out.media = { ...a.media, ...b.media };
  return out;
}

/** The request with `issue.nearest` put where it belongs, as an agent following the advice would. */
function apply(args: Args, issue: ValidationIssue): Args {
  const next: Args = structuredClone(args);
  const nearest = issue.nearest;
  const size = typeof nearest === 'string' ? /^(\d+)x(\d+)$/.exec(nearest) : null;
  const byResolution =
    typeof nearest === 'string' ? /^resolution (\S+?)(?:, ratio (\S+))?$/.exec(nearest) : null;
  if (size) {
    Object.assign(next, { width: Number(size[1]), height: Number(size[2]) });
    delete next.resolution;
    delete next.ratio;
  } else if (byResolution) {
    delete next.width;
    delete next.height;
    next.resolution = byResolution[1];
    if (byResolution[2]) next.ratio = byResolution[2];
    else delete next.ratio;
  } else if (issue.field.startsWith('media.')) {
    const frame = /^media\.frame_images\[(\d+)\]\.frame$/.exec(issue.field);
    const media = next.media as Record<string, unknown[]>;
    if (frame) {
      const item = media.frame_images?.[Number(frame[1])] as { frame?: unknown };
      item.frame = nearest;
    } else {
      const field = issue.field.slice('media.'.length);
      media[field] = (media[field] ?? []).slice(0, Number(nearest));
    }
  } else {
    (next as Record<string, unknown>)[issue.field] = nearest;
  }
  return next;
}

/** The fields an issue's advice touches: a size or "resolution X, ratio Y" replaces all the sizing fields. */
const SIZE_FIELDS = ['width', 'height', 'width/height', 'resolution', 'ratio'];
const related = (issue: ValidationIssue): string[] =>
  typeof issue.nearest === 'string' && /^(\d+x\d+|resolution .*)$/.test(issue.nearest)
    ? SIZE_FIELDS
    : [issue.field];

describe('nearest valid values', () => {
  it('are accepted by the model they are suggested for, for every model and a spread of bad inputs', () => {
    let suggested = 0;
    for (const m of listModels()) {
      for (const variant of VARIANTS) {
        const args = merge(base(m), variant);
        const result = validateCreateVideo(args, { allowUnknownModels: false });
        if (result.ok) continue;
        for (const issue of result.issues) {
          if (issue.nearest === undefined) continue;
          suggested++;
          const fixed = apply(args, issue);
          const again = validateCreateVideo(fixed, { allowUnknownModels: false });
          const left = again.ok ? [] : again.issues.filter((i) => related(issue).includes(i.field));
          const where = `${m.id} ${JSON.stringify(variant)} -> ${issue.field}: ${issue.nearest}`;
          expect(left, `${where}\n${formatIssues(left)}`).toEqual([]);
          if (issue.allowed?.length && typeof issue.nearest === 'number' && issue.field === 'seconds')
            expect(issue.allowed, where).toContain(issue.nearest);
        }
      }
    }
    expect(suggested).toBeGreaterThan(500);
  });

  it('for a fractional length is one the model makes (veo-3.0 makes only 8)', () => {
    const result = validateCreateVideo(
      { model: 'google/veo-3.0', prompt: 'a fox', seconds: 8.5 },
      { allowUnknownModels: false },
    );
    expect(result.ok ? [] : result.issues).toEqual([
      expect.objectContaining({ field: 'seconds', nearest: 8, allowed: [8] }),
    ]);
  });
});
