/** The shared `wait_seconds` argument: how long a call may block, with progress, before handing back the job id. */
import { z } from 'zod';

/** Long enough to finish most sandbox and fast jobs, short enough for clients that cut calls at ~60 s. */
export const DEFAULT_CREATE_WAIT_SECONDS = 45;
const MAX_WAIT_SECONDS = 900;

export function waitSecondsField(defaultSeconds: number) {
  return z
    .number({ error: 'wait_seconds must be a number of seconds, e.g. 45' })
    .min(0, { error: 'wait_seconds cannot be negative; use 0 to return at once' })
    .max(MAX_WAIT_SECONDS, {
      error: `wait_seconds can be at most ${MAX_WAIT_SECONDS}; call again to keep waiting`,
    })
    .default(defaultSeconds)
    .describe('Max wait, with progress (0: none).');
}
