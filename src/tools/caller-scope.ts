/**
 * Who is calling, and what the server owes them: the caller's id (an HTTP token's), whether they
 * reach us from another machine, the rate limit on paid creates, and the signals and tracker a
 * shutdown uses to end their calls cleanly. Each scope is built here, complete, so a transport
 * neither writes a tool's words nor leaves a field out.
 */
import type { JobStore } from '../jobs/job-store.js';
import { InFlight } from './in-flight.js';

export interface CallerScope {
  /** The caller's id (an HTTP token's id): jobs are recorded with it and only its own are visible. */
  owner: string | undefined;
  /** Callers reach us over HTTP: errors about local input files must not map the server's files. */
  remote: boolean;
  /**
   * Rate limit on paid creates: a refusal message, or undefined to go ahead (and the create is
   * counted, unless `count` is false: a look before asking the user, who then is not asked in vain).
   */
  admitCreate(count?: boolean): Promise<string | undefined>;
  /** Aborted when the server is shutting down: waits end early and hand back their job ids. */
  stopWaiting: AbortSignal;
  /**
   * Aborted when a shutdown's grace period is over: running calls stop and still answer (unlike
   * the request's own signal, whose abort means the SDK sends no answer at all).
   */
  stopCalls: AbortSignal;
  /** Tool calls in flight, for a shutdown to wait on. */
  calls: InFlight;
}

/** The one caller of a stdio server (or an in-process test): sees every job, has no rate limit, is stopped with the process. */
export function localScope(): CallerScope {
  const never = new AbortController().signal;
  return {
    owner: undefined,
    remote: false,
    admitCreate: async () => undefined,
    stopWaiting: never,
    stopCalls: never,
    calls: new InFlight(),
  };
}

/** Every caller of one HTTP server: their scopes share the rate limiter, the stop signals and the tracker. */
export interface RemoteCallers {
  scopeFor(owner: string | undefined): CallerScope;
  /** Every caller's tool calls; the transport tracks its open responses here too. */
  inFlight: InFlight;
  /** Waits answer at once with their job ids. */
  stopWaiting(): void;
  /** Running calls stop and answer. */
  stopCalls(): void;
}

/** The rate limit is counted in `store`: per process for the file ledger, fleet-wide in PostgreSQL. */
export function remoteCallers(createsPerMinute: number, store: JobStore): RemoteCallers {
  const waits = new AbortController();
  const calls = new AbortController();
  const inFlight = new InFlight();
  return {
    inFlight,
    stopWaiting: () => waits.abort(),
    stopCalls: () => calls.abort(),
    scopeFor: (owner) => ({
      owner,
      remote: true,
      stopWaiting: waits.signal,
      stopCalls: calls.signal,
      calls: inFlight,
      admitCreate: async (count = true) => {
        const wait = await store.takeCreateSlot(owner ?? 'anonymous', createsPerMinute, count);
        return wait === undefined
          ? undefined
          : `Rate limit: at most ${createsPerMinute} create_video calls per minute${owner ? ' per token' : ''} ` +
              `(VIDEO_MCP_HTTP_CREATES_PER_MINUTE). Try again in ${wait} s; nothing was sent or charged.`;
      },
    }),
  };
}
