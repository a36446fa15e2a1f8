import { describe, expect, it } from 'vitest';
import { nextPollDelayMs } from '../../src/jobs/schedule.js';

/** Simulates polling a job that finishes at `actualMs`; returns polls made and detection lag. */
function simulate(expectedMs: number, actualMs: number): { polls: number; lagMs: number } {
  let t = 0;
  let polls = 0;
  while (true) {
    t += nextPollDelayMs(t, { expectedMs });
    polls += 1;
    if (t >= actualMs) return { polls, lagMs: t - actualMs };
  }
}

describe('poll schedule', () => {
  it('checks early for fast failures', () => {
    expect(nextPollDelayMs(0, { expectedMs: 120_000 })).toBe(2_000);
  });

  it('is sparse in the middle and dense near the expected finish', () => {
    const middle = nextPollDelayMs(20_000, { expectedMs: 120_000 });
    const nearEnd = nextPollDelayMs(115_000, { expectedMs: 120_000 });
    expect(middle).toBeGreaterThanOrEqual(15_000);
    expect(nearEnd).toBe(2_000);
  });

  it('backs off gently when a job overruns, never beyond the cap', () => {
    const justLate = nextPollDelayMs(135_000, { expectedMs: 120_000 });
    const veryLate = nextPollDelayMs(1_000_000, { expectedMs: 120_000 });
    expect(justLate).toBeGreaterThan(2_000);
    expect(veryLate).toBe(20_000);
  });

  it('detects a job finishing on time within 2 s using no more polls than fixed 5 s polling', () => {
    for (const expected of [30_000, 120_000, 300_000]) {
      const { polls, lagMs } = simulate(expected, expected);
      expect(lagMs).toBeLessThanOrEqual(2_000);
      expect(polls).toBeLessThanOrEqual(Math.ceil(expected / 5_000));
    }
  });

  it('never returns a delay outside [min, max]', () => {
    for (let t = 0; t < 600_000; t += 777) {
      const d = nextPollDelayMs(t, { expectedMs: 90_000 });
      expect(d).toBeGreaterThanOrEqual(2_000);
      expect(d).toBeLessThanOrEqual(20_000);
    }
  });
});
