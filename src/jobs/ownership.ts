/**
 * Who may see a job. Over HTTP each bearer token is an owner: its jobs are recorded with the token's
 * id and are invisible to other tokens (status, download, listing, resources, job: inputs). Over
 * stdio, or HTTP without tokens, there is one user and every job is theirs.
 */
import { createHash } from 'node:crypto';
import type { JobStore } from './job-store.js';
import type { JobRecord } from './ledger.js';

/** A stable, non-secret id for a token: what the ledger and logs hold instead of the token. */
export function ownerIdOf(token: string): string {
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

export function visibleTo(record: JobRecord, owner: string | undefined): boolean {
  return owner === undefined || record.owner === owner;
}

/** False when the job belongs to someone else or is unknown to a scoped caller; callers say "not found". */
export async function mayAccessJob(
  ledger: JobStore,
  owner: string | undefined,
  jobId: string,
): Promise<boolean> {
  if (owner === undefined) return true;
  const record = await ledger.get(jobId);
  return record !== undefined && record.owner === owner;
}
