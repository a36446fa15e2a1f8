import { setTimeout as delay } from 'node:timers/promises';
import { abortedError } from './errors.js';

/** Time as an injectable edge, so polling and back-off can be tested without real waits. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortedError as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(ms, undefined, { signal });
    } catch (error) {
      throw signal?.aborted ? abortedError(signal) : error;
    }
  },
};
