import { z } from 'zod';
import type { JobRecord } from '../jobs/ledger.js';
import { visibleTo } from '../jobs/ownership.js';
import { costOf } from '../jobs/spend.js';
import { MODEL_ID_MAX } from '../models/lookup.js';
import { defineTool } from './define-tool.js';
import { ToolFailure } from './tool-error.js';

/** What a ledger job can be: Together's statuses, plus the ledger's own for a create in flight or unanswered. */
const JOB_STATUSES = [
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'submitting',
  'unknown',
] as const;

/** Words agents use for a status, mapped to ours. */
const STATUS_MEANT: Record<string, (typeof JOB_STATUSES)[number]> = {
  done: 'completed',
  complete: 'completed',
  finished: 'completed',
  succeeded: 'completed',
  success: 'completed',
  running: 'in_progress',
  processing: 'in_progress',
  pending: 'queued',
  canceled: 'cancelled',
  error: 'failed',
  errored: 'failed',
};

function statusError(issue: { input?: unknown }): string {
  const meant = typeof issue.input === 'string' ? STATUS_MEANT[issue.input.toLowerCase()] : undefined;
  return `status must be one of: ${JOB_STATUSES.join(', ')}${meant ? `. Nearest valid: ${meant}` : ''}`;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h", "7d", "30m" or an ISO date; undefined when absent. */
function parseSince(since: string | undefined, now: number): number | undefined {
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
    'Past jobs, newest first: finds videos after a time-out or restart. Status unknown: the create got ' +
    'no answer (may be charged).',
  kind: 'read-only',
  openWorld: false,
  input: {
    status: z.enum(JOB_STATUSES, { error: statusError }).optional(),
    model: z.string().max(MODEL_ID_MAX).optional(),
    since: z.string().max(40).optional().describe('24h, 7d, 30m or an ISO date'),
    not_downloaded: z.boolean().optional().describe('Completed jobs with no saved file'),
    limit: z.number().int().min(1).max(200).default(20),
  },
  output: {
    // Ledger records: the fields the text names, and more (created_at, error, sha256...).
    jobs: z.array(
      z.looseObject({
        job_id: z.string().optional(),
        status: z.string(),
        model: z.string().optional(),
        file_path: z.string().optional(),
      }),
    ),
    count: z.number(),
    matched: z.number(),
    total_cost_usd: z.number(),
  },
  async handle(args, ctx) {
    const since = parseSince(args.since, ctx.deps.clock.now());
    const matched = (await ctx.deps.ledger.all())
      .filter((j) => j.status !== 'not_created' && visibleTo(j, ctx.deps.owner))
      .filter((j) => !args.status || j.status === args.status)
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
