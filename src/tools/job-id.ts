import { z } from 'zod';

/** Refuses obviously wrong ids locally; the id is also URL-encoded by the client before use. */
export const jobIdField = z
  .string({ error: 'job_id must be the string returned by create_video' })
  .trim()
  .min(1, { error: 'job_id is empty; pass the job_id returned by create_video' })
  .max(200, { error: 'job_id is too long to be a Together job id' })
  .regex(/^[A-Za-z0-9._:-]+$/, { error: 'job_id may only contain letters, digits, ".", "_", ":" and "-"' })
  .describe('The job_id returned by create_video.');
