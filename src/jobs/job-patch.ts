/** What the ledger learns from each look at a job. */
import type { VideoJob } from '../together/types.js';
import type { JobPatch } from './ledger.js';

export function patchFromJob(job: VideoJob): JobPatch {
  const patch: JobPatch = { job_id: job.id, status: job.status };
  if (job.model) patch.model = job.model;
  if (job.cost !== undefined) patch.cost = job.cost;
  if (job.videoUrl) patch.video_url = job.videoUrl;
  if (job.error) patch.error = job.error;
  if (job.completedAt) patch.completed_at = job.completedAt.toISOString();
  return patch;
}
