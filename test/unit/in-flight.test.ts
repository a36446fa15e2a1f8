import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/tools/in-flight.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('InFlight', () => {
  it('waits for work begun while it waits (a response whose body was still being read)', async () => {
    const work = new InFlight();
    const done: string[] = [];
    void work.track(
      sleep(30).then(() => {
        done.push('first');
        void work.track(sleep(30).then(() => done.push('second')));
      }),
    );
    await work.settled(2_000);
    expect(done).toEqual(['first', 'second']);
    expect(work.size).toBe(0);
  });

  it('gives up after its time limit, leaving the work tracked', async () => {
    const work = new InFlight();
    void work.track(sleep(500));
    const begun = Date.now();
    await work.settled(50);
    expect(Date.now() - begun).toBeLessThan(400);
    expect(work.size).toBe(1);
  });
});
