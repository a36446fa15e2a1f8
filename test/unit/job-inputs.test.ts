/** list_video_models' `from_job`: every way it names for a model is one that model's validation accepts. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobInputsOf } from '../../src/models/job-inputs.js';
import { listModels } from '../../src/models/lookup.js';
import type { MediaField } from '../../src/models/media-fields.js';
import type { ModelCapabilities } from '../../src/models/types.js';
import { validateCreateVideo } from '../../src/models/validate.js';

/** The media one `from_job` entry stands for, written as an agent would. */
function mediaFor(way: string): Record<string, unknown> {
  const ref = /job:<id>\S*/.exec(way)?.[0].replace('<id>', 'abc123').replace('<seconds>', '1') ?? '';
  const field = way.split(/[:,]/)[0] ?? '';
  if (field === 'frame_images') return { frame_images: [{ input_image: ref, frame: 'first' }] };
  if (field === 'source_video') return { source_video: ref };
  if (field === 'reference_images') return { reference_images: [ref] };
  return { [field]: [{ video: ref }] };
}

const minimal = (m: ModelCapabilities): Record<string, unknown> => ({
  model: m.id,
  prompt: 'the next shot of the same scene',
});

describe('from_job', () => {
  it('names only ways the model accepts, and every way it has', () => {
    for (const m of listModels()) {
      const ways = jobInputsOf(m);
      for (const way of ways) {
        const checked = validateCreateVideo(
          { ...minimal(m), media: mediaFor(way) } as Parameters<typeof validateCreateVideo>[0],
          { allowUnknownModels: false },
        );
        // A field the model requires besides (videoedit's source_video) is not this way's to give.
        const media = checked.ok
          ? []
          : checked.issues.filter((i) => i.field.startsWith('media') && !/is required by/.test(i.message));
        expect(media, `${m.id}: ${way}`).toEqual([]);
      }
      const fields = ways.map((w) => w.split(/[:,]/)[0]);
      expect(fields.includes('frame_videos'), m.id).toBe(Boolean(m.media.frame_videos));
      expect(fields.includes('source_video'), m.id).toBe(Boolean(m.media.source_video));
      expect(fields.includes('frame_images'), m.id).toBe(m.keyframes.includes('first'));
    }
  });

  it('shows the continuation models', () => {
    const byId = new Map(listModels().map((m) => [m.id, jobInputsOf(m)]));
    expect(byId.get('Wan-AI/wan2.7-i2v')).toEqual([
      'frame_videos: job:<id> (continues the clip)',
      'frame_images, frame "first": job:<id>#last-frame',
    ]);
    expect(byId.get('Wan-AI/wan2.7-videoedit')).toEqual([
      'source_video: job:<id> (edits the clip)',
      'reference_images: job:<id>#t=<seconds>',
    ]);
    expect(byId.get('Wan-AI/wan2.7-t2v')).toEqual([]);
  });
});

describe("README's chaining section", () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

  it('lists exactly the models that take each video field', () => {
    const table = readme.split('| model | field | what it does with the video |')[1]?.split('\n\n')[0] ?? '';
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    const listed = new Map(
      rows.map((row) => {
        const [models = '', field = ''] = row.split(' | ');
        return [/media\.(\w+)/.exec(field)?.[1] ?? '', [...models.matchAll(/`([^`]+)`/g)].map((m) => m[1])];
      }),
    );
    expect([...listed.keys()].sort()).toEqual(['frame_videos', 'reference_videos', 'source_video']);
    for (const [field, models] of listed) {
      const taking = listModels().filter((m) => m.media[field as MediaField]);
      expect(models, field).toEqual(taking.map((m) => m.id));
    }
  });

  it('shows from_job as list_video_models gives it', () => {
    const wan = listModels().find((m) => m.id === 'Wan-AI/wan2.7-i2v');
    const veo = listModels().find((m) => m.id === 'google/veo-2.0');
    if (!wan || !veo) throw new Error('models missing');
    expect(readme).toContain(`"from_job": ${JSON.stringify(jobInputsOf(wan)).replaceAll('","', '", "')}`);
    expect(readme).toContain(`"from_job": ${JSON.stringify(jobInputsOf(veo))}`);
  });
});
