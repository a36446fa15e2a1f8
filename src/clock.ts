import { abortedError } from './errors.js';

/** Time as an injectable edge, so polling and back-off can be tested without real waits. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortedError as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortedError(signal));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        if (signal) reject(abortedError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
