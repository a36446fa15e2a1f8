/** What `GET /healthz` answers: no auth, no secrets, enough for a load balancer and an operator. */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { VERSION } from '../../version.js';

/**
 * The protocol versions served: 2026-07-28 per request (the SDK exports no constant for the modern
 * ones), and the SDK's 2025-era ones over initialize.
 */
const PROTOCOL_VERSIONS = ['2026-07-28', ...SUPPORTED_PROTOCOL_VERSIONS];

export interface HealthFacts {
  shuttingDown: boolean;
  /** The job store's kind, and why it cannot be used now, if it cannot (logged, not shown: no auth here). */
  store: { shared: boolean; problem: string | undefined };
  stateless: boolean;
  sandbox: boolean;
  sessions: number;
  inFlight: number;
  uptimeMs: number;
}

/** 503 while shutting down or while the job store is unreachable: a load balancer sends work elsewhere. */
export function healthStatus(facts: HealthFacts): number {
  return facts.shuttingDown || facts.store.problem ? 503 : 200;
}

export function healthOf(facts: HealthFacts): Record<string, unknown> {
  const { shared, problem } = facts.store;
  return {
    status: facts.shuttingDown ? 'shutting_down' : problem ? 'store_unavailable' : 'ok',
    version: VERSION,
    mode: facts.stateless ? 'stateless' : 'stateful',
    protocol_versions: PROTOCOL_VERSIONS,
    sandbox: facts.sandbox,
    store: { kind: shared ? 'postgres' : 'file', ok: !problem },
    sessions: facts.sessions,
    in_flight: facts.inFlight,
    uptime_s: Math.round(facts.uptimeMs / 1000),
  };
}
