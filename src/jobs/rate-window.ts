/** A sliding one-minute window per key, in memory: the create rate limit of one process's callers. */
export class RateWindows {
  private readonly windows = new Map<string, number[]>();

  /** Undefined when allowed (and counted, unless `count` is false); otherwise seconds to wait. */
  take(key: string, perMinute: number, count: boolean, now: number): number | undefined {
    const recent = (this.windows.get(key) ?? []).filter((t) => now - t < 60_000);
    this.windows.set(key, recent);
    if (recent.length >= perMinute)
      return Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
    if (count) recent.push(now);
    return undefined;
  }
}
