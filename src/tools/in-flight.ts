/**
 * Work still running (tool calls, and over HTTP the responses carrying them), so a shutdown can wait
 * for it to wind down (a download that was stopped records its checkpoint, a create records its job,
 * an answer is written) before the process exits. A tool call can outlive its HTTP response when the
 * client goes away, so both are tracked.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = (): void => {
      this.running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Resolves when no work is running (work begun meanwhile included), or after `ms`, whichever is first. */
  async settled(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
