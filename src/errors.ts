/**
 * The two error bases every layer shares, in openai-node's core/error.ts shape. A UserFacingError is
 * an expected failure whose message is written for the agent or user (what went wrong, what to do);
 * the tool boundary shows it and logs it at info, while anything else is logged as a crash. An
 * AbortedError is a wait or request the caller cancelled. They live here, not in tools/, so that
 * together/, files/ and jobs/ can throw them without knowing MCP.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';

  /** The text an agent is shown: the message, plus what a subclass knows that helps to act on it. */
  describe(): string {
    return this.message;
  }
}

export class AbortedError extends Error {
  // The DOM's name for a cancellation, so logs and callers that print names read the same as before.
  override name = 'AbortError';
  constructor(options?: { cause?: unknown }) {
    super('The request was cancelled.', options);
  }
}

/** What to throw once `signal` has aborted: an AbortedError, carrying the signal's reason as its cause. */
export function abortedError(signal: AbortSignal): AbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortedError ? reason : new AbortedError({ cause: reason });
}
