/**
 * The one error boundary: every failure a tool can meet becomes an `isError` result whose text an
 * agent can act on (which field, what is allowed, what to try next). Raw upstream bodies and stacks
 * go to the log, never to the model.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DownloadError } from '../files/download.js';
import { OutputPathError } from '../files/output-path.js';
import { LedgerError } from '../jobs/ledger.js';
import { JobNotReadyError } from '../jobs/save-video.js';
import type { Logger } from '../log.js';
import type { ValidationIssue } from '../models/types.js';
import { formatIssues } from '../models/validate.js';
import { TogetherApiError } from '../together/errors.js';

/** Input the registry or the tool refused before anything was sent to Together. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
  constructor(
    readonly issues: ValidationIssue[],
    readonly preface = 'Nothing was sent to Together and nothing was charged. Fix these and call again:',
  ) {
    super(`${preface}\n${formatIssues(issues)}`);
  }
}

/** A failure that already has an actionable message (e.g. a job that is not ready to download). */
export class ToolFailure extends Error {
  override name = 'ToolFailure';
}

const CANCELLED =
  'The call was cancelled. Any job already created keeps running; its id was returned or logged.';

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function describeError(error: unknown): string {
  if (error instanceof ToolInputError || error instanceof ToolFailure || error instanceof JobNotReadyError)
    return error.message;
  if (error instanceof TogetherApiError) {
    const refs = [
      error.code ? `code ${error.code}` : '',
      error.requestId ? `request id ${error.requestId}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const text = refs ? `${error.message} (${refs})` : error.message;
    return error.jobMayExist
      ? `${text} The job may already exist and be charged even so: check Together's dashboard before creating it again.`
      : text;
  }
  if (error instanceof DownloadError || error instanceof OutputPathError || error instanceof LedgerError)
    return error.message;
  if (isAbort(error)) return CANCELLED;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * `signal` is the call's own: once it has aborted, whatever the wait threw (the SDK aborts with the
 * client's reason, often a plain string) is the cancellation, an ordinary event.
 */
export function toolErrorResult(error: unknown, logger: Logger, signal?: AbortSignal): CallToolResult {
  if (signal?.aborted || isAbort(error)) {
    const reason: unknown = signal?.aborted ? signal.reason : error;
    logger.info('tool call cancelled', { reason, ...(error !== reason ? { error } : {}) });
    return { content: [{ type: 'text', text: CANCELLED }], isError: true };
  }
  const text = describeError(error);
  const expected =
    error instanceof ToolInputError ||
    error instanceof ToolFailure ||
    error instanceof JobNotReadyError ||
    error instanceof TogetherApiError ||
    error instanceof DownloadError ||
    error instanceof OutputPathError ||
    error instanceof LedgerError;
  if (expected) logger.info('tool call refused or failed', { error });
  else logger.error('tool call crashed', { error, stack: error instanceof Error ? error.stack : undefined });
  return { content: [{ type: 'text', text }], isError: true };
}
