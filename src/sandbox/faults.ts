/**
 * Injectable faults for the emulator, consumed in order. They model what the real API and network
 * do on a bad day: throttling, overload, dropped connections, truncated downloads, slow answers.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { apiError, type Exchange, sendJson } from './http-io.js';

export type FaultRoute = 'create' | 'retrieve' | 'models' | 'download' | 'any';
type FaultKind = 'status' | 'drop' | 'drop-after-accept' | 'truncate' | 'delay';

export interface FaultRule {
  route: FaultRoute;
  /**
   * status: answer `status` with a provider-like error body (and Retry-After when given); a faulted
   * create makes no job. drop: destroy the socket without answering; no job either.
   * drop-after-accept: do the work (a create makes its job), then drop: the ambiguous case.
   * truncate: send the headers with the full Content-Length, then cut after `afterBytes` body bytes.
   * delay: wait `delayMs` (default 1000), then answer normally.
   */
  kind: FaultKind;
  status?: number;
  retryAfterSeconds?: number;
  body?: unknown;
  afterBytes?: number;
  delayMs?: number;
  /** How many requests this rule applies to (default 1; Infinity allowed). */
  times?: number;
}

const ROUTES: readonly FaultRoute[] = ['create', 'retrieve', 'models', 'download', 'any'];
const KINDS: readonly FaultKind[] = ['status', 'drop', 'drop-after-accept', 'truncate', 'delay'];

export class FaultQueue {
  private rules: FaultRule[] = [];

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, times: r.times ?? 1 })).filter((r) => r.times > 0);
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** The first rule that applies to this request, counting it as used. */
  take(route: Exclude<FaultRoute, 'any'>): FaultRule | undefined {
    const index = this.rules.findIndex((r) => r.route === route || r.route === 'any');
    const rule = this.rules[index];
    if (!rule) return undefined;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rules.splice(index, 1);
    return rule;
  }
}

/** What Together answers with each status (message, type, code), so clients parse real-looking errors. */
const PROVIDER_ERRORS: Record<number, [string, string, string]> = {
  400: ['Invalid request parameters.', 'invalid_request_error', 'invalid_request'],
  402: ['Credit limit exceeded. Add credits to continue.', 'billing_error', 'credit_limit'],
  404: ['Not found.', 'invalid_request_error', 'not_found'],
  408: ['Request timed out.', 'server_error', 'timeout'],
  429: ['Rate limit exceeded: too many requests for this model.', 'rate_limit', 'dynamic_request_limited'],
  500: ['Internal server error.', 'server_error', 'internal_error'],
  502: ['Bad gateway.', 'server_error', 'bad_gateway'],
  503: ['The engine is currently overloaded, please try again later.', 'server_error', 'engine_overloaded'],
  504: ['Gateway timeout.', 'server_error', 'gateway_timeout'],
};

function providerError(status: number): unknown {
  const [message, type, code] = PROVIDER_ERRORS[status] ?? [
    `Upstream error (HTTP ${status}).`,
    status < 500 ? 'invalid_request_error' : 'server_error',
    `http_${status}`,
  ];
  return apiError(message, type, code);
}

/**
 * Applies a rule before normal handling. Returns true when the fault answered (or dropped) the
 * request; otherwise the rule is left on the exchange for faults that shape the normal answer.
 */
export async function applyFault(ex: Exchange, rule: FaultRule | undefined): Promise<boolean> {
  if (!rule) return false;
  switch (rule.kind) {
    case 'delay':
      // Unref'd: a pending delay must not keep a closed emulator's process alive.
      await delay(rule.delayMs ?? 1000, undefined, { ref: false });
      return false;
    case 'drop':
      ex.res.destroy();
      return true;
    case 'status': {
      const status = rule.status ?? 500;
      const headers =
        rule.retryAfterSeconds === undefined ? {} : { 'retry-after': String(rule.retryAfterSeconds) };
      sendJson(ex, status, rule.body ?? providerError(status), headers);
      return true;
    }
    case 'truncate':
    case 'drop-after-accept':
      ex.fault = rule;
      return false;
  }
}

function optionalNumber(r: Record<string, unknown>, key: string, i: number, min: number, max: number): void {
  const v = r[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max))
    throw new Error(`fault ${i}: ${key} must be a number from ${min} to ${max}`);
}

/** Validates rules that arrive over the control plane as JSON (where Infinity is spelt null or "Infinity"). */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new Error('faults must be a JSON array of rules');
  return input.map((raw: unknown, i): FaultRule => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new Error(`fault ${i} is not an object`);
    const r = raw as Record<string, unknown>;
    const route = ROUTES.find((x) => x === r.route);
    const kind = KINDS.find((x) => x === r.kind);
    if (!route) throw new Error(`fault ${i}: route must be one of ${ROUTES.join(', ')}`);
    if (!kind) throw new Error(`fault ${i}: kind must be one of ${KINDS.join(', ')}`);
    optionalNumber(r, 'status', i, 100, 599);
    optionalNumber(r, 'retryAfterSeconds', i, 0, 86_400);
    optionalNumber(r, 'afterBytes', i, 0, Number.MAX_SAFE_INTEGER);
    optionalNumber(r, 'delayMs', i, 0, 600_000);
    const times = r.times === null || r.times === 'Infinity' ? Number.POSITIVE_INFINITY : r.times;
    if (times !== undefined && (typeof times !== 'number' || !(times >= 1)))
      throw new Error(`fault ${i}: times must be a number >= 1, or null / "Infinity" for always`);
    const rule: FaultRule = { route, kind };
    if (typeof r.status === 'number') rule.status = r.status;
    if (typeof r.retryAfterSeconds === 'number') rule.retryAfterSeconds = r.retryAfterSeconds;
    if (r.body !== undefined) rule.body = r.body;
    if (typeof r.afterBytes === 'number') rule.afterBytes = r.afterBytes;
    if (typeof r.delayMs === 'number') rule.delayMs = r.delayMs;
    if (typeof times === 'number') rule.times = times;
    return rule;
  });
}
