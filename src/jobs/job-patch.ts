/** What the ledger learns from each look at a job, and the job as the ledger last saw it. */
import type { VideoJob } from '../together/types.js';
import type { JobPatch, JobRecord } from './ledger.js';

export function patchFromJob(job: VideoJob): JobPatch {
  const patch: JobPatch = { job_id: job.id, status: job.status };
  if (job.model) patch.model = job.model;
  if (job.cost !== undefined) patch.cost = job.cost;
  if (job.videoUrl) patch.video_url = job.videoUrl;
  if (job.error) patch.error = job.error;
  if (job.completedAt) patch.completed_at = job.completedAt.toISOString();
  return patch;
}

function dateOf(text: string | undefined): Date | undefined {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** The ledger's last known state of a job, for when Together cannot be asked. */
export function jobFromRecord(record: JobRecord): VideoJob {
  const job: VideoJob = { id: record.job_id ?? record.key, status: record.status };
  if (record.model) job.model = record.model;
  if (record.cost !== undefined) job.cost = record.cost;
  if (record.video_url) job.videoUrl = record.video_url;
  if (record.error) job.error = record.error;
  const created = dateOf(record.created_at);
  if (created) job.createdAt = created;
  const completed = dateOf(record.completed_at);
  if (completed) job.completedAt = completed;
  return job;
}
