/** The size the emulator reports is one the model makes: its default when the request names none. */
import { describe, expect, it } from 'vitest';
import { listModels } from '../../src/models/lookup.js';
import { createdId, emulator, getJob } from '../helpers/emulator.js';

/** Width over height, reduced, e.g. "16:9" for 1280x720. */
function ratioOf(size: string): string {
  const [w = 0, h = 0] = size.split('x').map(Number);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(w, h);
  return `${w / d}:${h / d}`;
}

describe('emulator: reported sizes', () => {
  it('reports each registry model its own default size when the request gives none', async () => {
    const e = await emulator();
    for (const model of listModels()) {
      const id = await createdId(e, { model: model.id, prompt: 'a quiet harbour at dawn' });
      const size = String((await getJob(e, id)).size);
      const { sizing } = model;
      if (sizing.mode === 'dimensions') {
        const made = sizing.dimensions.map((d) => `${d.width}x${d.height}`);
        expect(made, `${model.id} reported ${size}`).toContain(size);
        expect(size, model.id).toBe(`${sizing.default.width}x${sizing.default.height}`);
      } else {
        const [w = 0, h = 0] = size.split('x').map(Number);
        expect(Math.min(w, h), `${model.id} reported ${size}`).toBe(
          Number.parseInt(sizing.defaultResolution, 10),
        );
        expect(ratioOf(size), model.id).toBe(sizing.defaultRatio ?? '16:9');
      }
    }
  });

  it('follows the resolution and ratio a request gives', async () => {
    const e = await emulator();
    const model = listModels().find(
      (m) => m.sizing.mode === 'resolution' && m.sizing.ratios.includes('9:16'),
    );
    expect(model).toBeDefined();
    const id = await createdId(e, {
      model: model?.id,
      prompt: 'a tall tower',
      resolution: '720P',
      ratio: '9:16',
    });
    expect((await getJob(e, id)).size).toBe('720x1280');
    const sized = await createdId(e, {
      model: 'google/veo-3.0',
      prompt: 'a wide field',
      width: 1920,
      height: 1080,
    });
    expect((await getJob(e, sized)).size).toBe('1920x1080');
  });
});
