/**
 * Completion detection, simulated in virtual time: the real emulator (its job clock is the virtual
 * clock), the real Together client over HTTP on 127.0.0.1, and the real waitForJob schedule, against
 * fixed-interval polling. Sleeping advances the virtual clock at once, so a 5-minute job takes
 * milliseconds and every strategy sees exactly the same jobs.
 */
import type { Clock } from '../../src/clock.js';
import { waitForJob } from '../../src/jobs/wait-for-job.js';
import { startEmulator } from '../../src/sandbox/emulator.js';
import { createTogetherClient } from '../../src/together/client.js';
import { TERMINAL_STATUSES } from '../../src/together/types.js';

const KEY = 'polling-sim-key-1';

export interface Outcome {
  lagMs: number;
  requests: number;
  status: string;
}

export type Strategy = { kind: 'ours' } | { kind: 'fixed'; everyMs: number };

function virtualClock(): Clock & { set(ms: number): void } {
  let now = 1_800_000_000_000;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** Runs one job of `durationMs` (the model's registry time being `expectedMs`) under `strategy`. */
export async function simulate(durationMs: number, expectedMs: number, strategy: Strategy): Promise<Outcome> {
  const clock = virtualClock();
  const emulator = await startEmulator({ apiKey: KEY, jobDurationMs: durationMs, clock: clock.now });
  try {
    const api = createTogetherClient({ apiKey: KEY, baseUrl: emulator.url, clock });
    const created = await api.createVideo({ model: 'google/veo-2.0', prompt: 'polling' });
    const startedAt = clock.now();
    const finishedAt = startedAt + durationMs;
    let job = created;
    if (strategy.kind === 'ours') {
      job = (
        await waitForJob({
          api,
          jobId: created.id,
          initial: created,
          startedAt,
          expectedMs,
          waitMs: 3_600_000,
          clock,
        })
      ).job;
    } else {
      while (!(TERMINAL_STATUSES as readonly string[]).includes(job.status)) {
        await clock.sleep(strategy.everyMs);
        job = await api.retrieveVideo(created.id);
      }
    }
    const requests = emulator.requests.filter((r) => r.route === 'retrieve').length;
    return { lagMs: clock.now() - finishedAt, requests, status: job.status };
  } finally {
    await emulator.close();
  }
}
