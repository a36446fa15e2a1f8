/** Finding models in the registry, and what they cost. */
import { CATALOG } from './catalog/index.js';
import type { ModelCapabilities } from './types.js';

const BY_ID = new Map(CATALOG.map((m) => [m.id, m]));

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

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known ids closest to `id`: a case-only mismatch first, then containment, then edit distance. */
export function suggestModels(id: string, n = 3): string[] {
  const wanted = id.trim().toLowerCase();
  const tail = wanted.split('/').pop() ?? wanted;
  const scored = CATALOG.map((m) => {
    const known = m.id.toLowerCase();
    const knownTail = known.split('/').pop() ?? known;
    let score = Math.min(levenshtein(wanted, known), levenshtein(tail, knownTail) + 1);
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
