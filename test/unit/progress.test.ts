import { describe, expect, it } from 'vitest';
import { estimatedFraction } from '../../src/tools/progress.js';

describe('estimatedFraction', () => {
  it('strictly increases with time and never reaches 1 before the job is done', () => {
    let last = -1;
    for (let t = 0; t <= 300_000; t += 500) {
      const f = estimatedFraction(t, 60_000);
      expect(f).toBeGreaterThan(last);
      expect(f).toBeLessThan(1);
      last = f;
    }
  });

  it("reads 90% at the model's typical time", () => {
    expect(estimatedFraction(60_000, 60_000)).toBeCloseTo(0.9);
  });
});
