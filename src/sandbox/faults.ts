/**
 * Injectable faults for the emulator, consumed in order. They model what the real API and network
 * do on a bad day: throttling, overload, dropped connections, truncated downloads, slow answers.
 */
export type FaultRoute = 'create' | 'retrieve' | 'models' | 'download' | 'any';

export interface FaultRule {
  route: FaultRoute;
  /**
   * status: answer with that status and a provider-like error body. drop: destroy the socket without
   * answering (a faulted create makes no job). drop-after-accept: create the job, then drop (the
   * ambiguous case). truncate: send the headers and `afterBytes` of the body, then drop. delay: wait
   * `delayMs`, then answer normally.
   */
  kind: 'status' | 'drop' | 'drop-after-accept' | 'truncate' | 'delay';
  status?: number;
  retryAfterSeconds?: number;
  body?: unknown;
  afterBytes?: number;
  delayMs?: number;
  /** How many requests this rule applies to (default 1; Infinity allowed). */
  times?: number;
}

const ROUTES = new Set(['create', 'retrieve', 'models', 'download', 'any']);
const KINDS = new Set(['status', 'drop', 'drop-after-accept', 'truncate', 'delay']);

export class FaultQueue {
  private rules: FaultRule[] = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, times: r.times ?? 1 }));
  }

  /** The rule that applies to this request, if any, counting it as used. */
  take(route: Exclude<FaultRoute, 'any'>): FaultRule | undefined {
    const index = this.rules.findIndex((r) => r.route === route || r.route === 'any');
    const rule = this.rules[index];
    if (!rule) return undefined;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rules.splice(index, 1);
    return rule;
  }
}

/** Validates rules that arrive over the control plane as JSON (where Infinity is spelt null or "Infinity"). */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new Error('faults must be a JSON array of rules');
  return input.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) throw new Error(`fault ${i} is not an object`);
    const r = raw as Record<string, unknown>;
    if (!ROUTES.has(String(r.route)))
      throw new Error(`fault ${i}: route must be one of ${[...ROUTES].join(', ')}`);
    if (!KINDS.has(String(r.kind)))
      throw new Error(`fault ${i}: kind must be one of ${[...KINDS].join(', ')}`);
    const times = r.times === null || r.times === 'Infinity' ? Number.POSITIVE_INFINITY : r.times;
    return { ...(r as unknown as FaultRule), ...(typeof times === 'number' ? { times } : {}) };
  });
}
