/** Finding models in the registry, and what they cost. */
import { CATALOG } from './catalog/index.js';
import type { ModelCapabilities } from './types.js';

const BY_ID = new Map(CATALOG.map((m) => [m.id, m]));

/** Longer than any id; only this much of a wrong id is compared, so a huge one costs no more than a short one. */
export const MODEL_ID_MAX = 100;

export function getModel(id: string): ModelCapabilities | undefined {
  return BY_ID.get(id);
}

export function listModels(): readonly ModelCapabilities[] {
  return CATALOG;
}

export function estimateCostUsd(model: ModelCapabilities, seconds: number): number {
  const usd = model.price.per === 'second' ? model.price.usd * seconds : model.price.usd;
  return Math.round(usd * 10_000) / 10_000;
}

/**
 * Edit distance, giving up at `limit`: the answer is min(distance, limit). Rows whose best cell
 * already reaches the limit end the work, so comparing very different strings stays cheap.
 */
export function levenshtein(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const cell = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row[j] = cell;
      if (cell < best) best = cell;
    }
    if (best >= limit) return limit;
    prev = row;
  }
  return Math.min(prev[b.length] ?? 0, limit);
}

/** The known ids closest to `id`: a case-only mismatch first, then containment, then edit distance. */
export function suggestModels(id: string, n = 3): string[] {
  const wanted = id.slice(0, MODEL_ID_MAX).trim().toLowerCase();
  const tail = wanted.split('/').pop() ?? wanted;
  const scored = CATALOG.map((m) => {
    const known = m.id.toLowerCase();
    const knownTail = known.split('/').pop() ?? known;
    let score = Math.min(levenshtein(wanted, known, 40), levenshtein(tail, knownTail, 40) + 1);
    if (known === wanted) score = -3;
    else if (known.startsWith(wanted) || knownTail.startsWith(tail))
      score = -2 + (knownTail.length - tail.length) / 100;
    else if (known.includes(tail) || wanted.includes(knownTail)) score = Math.min(score, -1);
    return { id: m.id, score };
  });
  return scored
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, n)
    .map((s) => s.id);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Up to `n` other models that have what `near` lacks, its own family first (the longest shared id
 * prefix: wan2.7-t2v -> wan2.7-i2v), then its organisation, then registry order.
 */
function modelsWith(has: (m: ModelCapabilities) => boolean, near: ModelCapabilities, n = 3): string[] {
  const id = near.id.toLowerCase();
  return CATALOG.filter((m) => m.id !== near.id && has(m))
    .map((m, order) => ({
      id: m.id,
      family: sharedPrefix(id, m.id.toLowerCase()),
      org: m.organization === near.organization ? 1 : 0,
      order,
    }))
    .sort((a, b) => b.family - a.family || b.org - a.org || a.order - b.order)
    .slice(0, n)
    .map((m) => m.id);
}

/** "; models that do: a, b" for a message about a capability `near` lacks, or nothing if none has it. */
export function othersThatDo(has: (m: ModelCapabilities) => boolean, near: ModelCapabilities): string {
  const ids = modelsWith(has, near);
  return ids.length ? ` Models that do: ${ids.join(', ')}.` : '';
}
