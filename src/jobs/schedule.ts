/**
 * When to ask for a job's status next. Video jobs take from seconds to minutes and the registry
 * knows each model's typical time, so a fixed interval is either wasteful or slow. The schedule:
 * an early check to catch fast failures (bad input the provider refuses after accepting), sparse
 * polls through the middle, dense polls around the expected finish, then a gentle back-off if the
 * job overruns.
 */
export interface ScheduleOptions {
  /** The model's typical generation time. */
  expectedMs: number;
  /** Shortest gap between two polls. */
  minDelayMs?: number;
}

const EARLY_CHECK_MS = 2_000;
/** Longest gap between two polls. */
const MAX_DELAY_MS = 20_000;
/** How close to the expected finish polling turns dense. */
const DENSE_WINDOW_FRACTION = 0.1;

export function nextPollDelayMs(elapsedMs: number, options: ScheduleOptions): number {
  const min = options.minDelayMs ?? 2_000;
  const expected = Math.max(options.expectedMs, min);
  const clamp = (ms: number): number => Math.round(Math.min(MAX_DELAY_MS, Math.max(min, ms)));

  // Short jobs (the sandbox) get their early check proportionally sooner.
  const earlyCheck = Math.min(EARLY_CHECK_MS, expected / 4);
  if (elapsedMs < earlyCheck) return clamp(earlyCheck - elapsedMs);
  const remaining = expected - elapsedMs;
  const denseWindow = Math.max(4_000, expected * DENSE_WINDOW_FRACTION);
  if (remaining > denseWindow) {
    // Halve the distance to the dense window, so we land at its edge rather than overshoot it.
    return clamp(Math.min((remaining - denseWindow) / 2 + min, remaining - denseWindow + min));
  }
  if (remaining > -denseWindow) return clamp(min);
  // Overrunning: the estimate was wrong, so back off in proportion to how wrong.
  const overrun = -remaining - denseWindow;
  return clamp(min + overrun * 0.1);
}
