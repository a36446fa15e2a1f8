/**
 * Work still running (tool calls, and over HTTP the responses carrying them), so a shutdown can wait
 * for it to wind down (a download that was stopped records its checkpoint, a create records its job,
 * an answer is written) before the process exits. A tool call can outlive its HTTP response when the
 * client goes away, so both are tracked.
 */
export class InFlight {
  private readonly running = new Map<Promise<unknown>, 'call' | 'response'>();

  get size(): number {
    return this.running.size;
  }

  /** How many of one kind are running: /healthz reports the open HTTP responses, as it always has. */
  count(kind: 'call' | 'response'): number {
    let n = 0;
    for (const k of this.running.values()) if (k === kind) n += 1;
    return n;
  }

  track<T>(work: Promise<T>, kind: 'call' | 'response' = 'call'): Promise<T> {
    this.running.set(work, kind);
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
        Promise.allSettled([...this.running.keys()]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
