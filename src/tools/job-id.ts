import { z } from 'zod';
import { mayAccessJob } from '../jobs/ownership.js';
import { type JobScope, unknownJobMessage } from '../jobs/unknown-job.js';
import type { ServerDeps } from './context.js';
import { ToolFailure } from './tool-error.js';

/**
 * Refuses obviously wrong ids locally; the id is also URL-encoded by the client before use. Checks are
 * refinements, not .min()/.max()/.regex(): the same checks without minLength, maxLength and a pattern
 * in every tools/list, and no description (the field's name and the tools' own words say it): ~130
 * bytes per tool.
 */
export const jobIdField = z
  .string({ error: 'job_id must be the string returned by create_video' })
  .trim()
  .refine((id) => id.length > 0, {
    error: 'job_id is empty; pass the job_id returned by create_video',
    abort: true,
  })
  .refine((id) => id.length <= 200, { error: 'job_id is too long to be a Together job id', abort: true })
  .refine((id) => /^[A-Za-z0-9._:-]+$/.test(id), {
    error: 'job_id may only contain letters, digits, ".", "_", ":" and "-"',
  })
  // "." and ".." would be resolved as URL path segments: GET /v2/videos/. is GET /v2/videos/.
  .refine((id) => !/^\.+$/.test(id), {
    error:
      'job_id cannot be only dots ("." or ".."); pass the job_id returned by create_video, or call list_video_jobs',
  });

/** The one answer for a job the caller may not see (see unknownJobMessage). */
export function unknownJobError(jobId: string, deps: JobScope): ToolFailure {
  return new ToolFailure(unknownJobMessage(jobId, deps));
}

/** Throws unknownJobError unless the caller may see the job (always, over stdio). */
export async function assertVisibleJob(deps: ServerDeps, jobId: string): Promise<void> {
  if (!(await mayAccessJob(deps.ledger, deps.owner, jobId))) throw unknownJobError(jobId, deps);
}
