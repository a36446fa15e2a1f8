/**
 * The spend guard: what this state dir's jobs cost over the last 24 hours, so a create that would
 * pass VIDEO_MCP_MAX_SPEND_USD is refused before anything is sent.
 */
import type { JobRecord } from './ledger.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Charged cost where Together reported one, else the estimate; jobs never created and failed jobs without a charge count 0. */
export function costOf(job: JobRecord): number {
  if (job.cost !== undefined) return job.cost;
  if (job.status === 'not_created' || job.status === 'failed' || job.status === 'cancelled') return 0;
  return job.estimated_cost_usd ?? 0;
}

export function spentInLastDay(jobs: readonly JobRecord[], now: number): number {
  const since = now - DAY_MS;
  const total = jobs.filter((j) => Date.parse(j.created_at) >= since).reduce((sum, j) => sum + costOf(j), 0);
  return Math.round(total * 10_000) / 10_000;
}
