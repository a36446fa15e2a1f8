/**
 * The one answer for a job id the caller cannot see, used by every tool, the job resource and the
 * video saver, and true to the mode: the sandbox, an HTTP token, or the API key. Jobs under another
 * token get the same words, so an id reveals nothing about other tokens' jobs.
 */
export interface JobScope {
  sandbox: boolean;
  /** The HTTP token's id; absent over stdio. */
  owner?: string | undefined;
}

export function unknownJobMessage(jobId: string, scope: JobScope): string {
  const where = scope.sandbox
    ? `${scope.owner ? 'for this token ' : ''}in this server's sandbox`
    : `for ${scope.owner ? 'this token' : 'this API key'}`;
  return `No video job with id "${jobId}" exists ${where}. Use the job_id returned by create_video, or list_video_jobs.`;
}
