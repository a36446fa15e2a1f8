/**
 * How a patch changes a job: the one rule both stores apply (the file ledger when it folds its
 * lines, PostgreSQL when it writes a row), so a job reads the same whichever store holds it.
 */
import type { JobPatch, JobRecord } from './ledger.js';

/** One write: the patch's fields, where and when it was written, and the `local:` key it moves. */
export interface JobWrite {
  key: string;
  /** When the write happened (ISO time): the job's updated_at, and its created_at if it is new. */
  at: string;
  replaces?: string;
  fields: Partial<JobRecord> & Record<string, unknown>;
}

/**
 * The job after `write`. `current` is what the store holds under write.key, `replaced` what it holds
 * under write.replaces (which the store then drops).
 */
export function mergeWrite(
  current: JobRecord | undefined,
  replaced: JobRecord | undefined,
  { key, at, replaces, fields }: JobWrite,
): JobRecord {
  const previous = (replaces !== undefined ? replaced : undefined) ?? current;
  // The create's answer supersedes what was noted while it was in flight ("unknown" after a restart).
  const base = replaces !== undefined && previous ? withoutError(previous) : previous;
  return {
    ...(base ?? { status: 'unknown', created_at: at }),
    ...fields,
    key,
    updated_at: at,
  } as JobRecord;
}

/** A patch's fields as the file ledger stores them: JSON (no undefined values), no key or times of its own. */
export function fieldsOf(patch: JobPatch): JobWrite['fields'] {
  const { replaces: _replaces, ...rest } = patch;
  const { updated_at: _updated, ...fields } = JSON.parse(JSON.stringify(rest)) as JobWrite['fields'];
  return fields;
}

/** True when writing `patch` would change nothing (a status check that saw the same state). */
export function unchanged(current: JobRecord, patch: JobPatch): boolean {
  return Object.entries(patch).every(
    ([field, value]) => JSON.stringify(current[field as keyof JobRecord]) === JSON.stringify(value),
  );
}

function withoutError(job: JobRecord): JobRecord {
  const { error: _error, ...rest } = job;
  return rest;
}
