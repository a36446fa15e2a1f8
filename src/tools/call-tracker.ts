/**
 * Tool calls still running, so a shutdown can wait for them to wind down (a download that was
 * stopped records its checkpoint, a create records its job) before the process exits. An HTTP
 * response can close before its handler has finished cleaning up.
 */
export class CallTracker {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  track<T>(call: Promise<T>): Promise<T> {
    this.running.add(call);
    const forget = (): void => {
      this.running.delete(call);
    };
    call.then(forget, forget);
    return call;
  }

  /** Resolves when every call running now has settled, or after `ms`, whichever is first. */
  async settled(ms: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    clearTimeout(timer);
  }
}
