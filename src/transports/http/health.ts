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
  stateless: boolean;
  sandbox: boolean;
  sessions: number;
  inFlight: number;
  uptimeMs: number;
}

export function healthOf(facts: HealthFacts): Record<string, unknown> {
  return {
    status: facts.shuttingDown ? 'shutting_down' : 'ok',
    version: VERSION,
    mode: facts.stateless ? 'stateless' : 'stateful',
    protocol_versions: PROTOCOL_VERSIONS,
    sandbox: facts.sandbox,
    sessions: facts.sessions,
    in_flight: facts.inFlight,
    uptime_s: Math.round(facts.uptimeMs / 1000),
  };
}
