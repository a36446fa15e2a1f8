import { z } from 'zod';
import type { JobRecord } from '../jobs/ledger.js';
import { visibleTo } from '../jobs/ownership.js';
import { costOf } from '../jobs/spend.js';
import { defineTool } from './define-tool.js';
import { ToolFailure } from './tool-error.js';

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h", "7d", "30m" or an ISO date; undefined when absent. */
export function parseSince(since: string | undefined, now: number): number | undefined {
  if (since === undefined) return undefined;
  const relative = DURATION.exec(since.trim());
  if (relative) return now - Number(relative[1]) * (UNIT_MS[(relative[2] ?? 'h').toLowerCase()] ?? 0);
  const absolute = Date.parse(since);
  if (Number.isNaN(absolute)) {
    throw new ToolFailure(
      `since "${since}" is not a time: use a duration such as 24h, 7d or 30m, or an ISO date.`,
    );
  }
  return absolute;
}

function view(job: JobRecord): { status: string } & Record<string, unknown> {
  const { key, params: _params, ...rest } = job;
  return key.startsWith('local:') ? { local_id: key, ...rest } : { job_id: key, ...rest };
}

export const listVideoJobs = defineTool({
  name: 'list_video_jobs',
  title: 'List video jobs',
  description:
    'Jobs in the ledger, newest first (status, cost, file_path once saved): finds videos after a time-out or ' +
    'restart. "unknown" = a create whose answer never came (may exist and be charged).',
  kind: 'read-only',
  openWorld: false,
  input: {
    status: z.string().optional(),
    model: z.string().optional(),
    since: z.string().optional().describe('24h, 7d, 30m or an ISO date'),
    not_downloaded: z.boolean().optional().describe('Completed jobs with no saved file'),
    limit: z.number().int().min(1).max(200).default(20),
  },
  output: {
    jobs: z.array(z.looseObject({ status: z.string() })),
    count: z.number(),
    matched: z.number(),
    total_cost_usd: z.number(),
  },
  async handle(args, ctx) {
    const since = parseSince(args.since, ctx.deps.clock.now());
    const matched = (await ctx.deps.ledger.all())
      .filter((j) => j.status !== 'not_created' && visibleTo(j, ctx.deps.owner))
      .filter((j) => !args.status || j.status === args.status.toLowerCase())
      .filter((j) => !args.model || j.model === args.model)
      .filter((j) => since === undefined || Date.parse(j.created_at) >= since)
      .filter((j) => !args.not_downloaded || (j.status === 'completed' && !j.file_path));
    const total = Math.round(matched.reduce((sum, j) => sum + costOf(j), 0) * 10_000) / 10_000;
    const jobs = matched.slice(0, args.limit).map(view);
    const lines = matched
      .slice(0, args.limit)
      .map((j) => `${j.key} ${j.model ?? ''} ${j.status}${j.file_path ? ` -> ${j.file_path}` : ''}`);
    const text = matched.length
      ? `${matched.length} job(s), $${total.toFixed(2)} in all${matched.length > jobs.length ? ` (showing ${jobs.length})` : ''}:\n${lines.join('\n')}`
      : 'No jobs match.';
    return { structured: { jobs, count: jobs.length, matched: matched.length, total_cost_usd: total }, text };
  },
});
