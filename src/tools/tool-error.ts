/**
 * The one error boundary: every failure a tool can meet becomes an `isError` result whose text an
 * agent can act on (which field, what is allowed, what to try next). Raw upstream bodies and stacks
 * go to the log, never to the model.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AbortedError, UserFacingError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ValidationIssue } from '../models/types.js';
import { formatIssues } from '../models/validate.js';

/** Input the registry or the tool refused before anything was sent to Together. */
export class ToolInputError extends UserFacingError {
  override name = 'ToolInputError';
  constructor(
    readonly issues: ValidationIssue[],
    readonly preface = 'Nothing was sent to Together and nothing was charged. Fix these and call again:',
  ) {
    super(`${preface}\n${formatIssues(issues)}`);
  }
}

/** A failure that already has an actionable message (e.g. a job that is not ready to download). */
export class ToolFailure extends UserFacingError {
  override name = 'ToolFailure';
}

const CANCELLED =
  'The call was cancelled. Any job already created keeps running; its id was returned or logged.';

export function describeError(error: unknown): string {
  if (error instanceof UserFacingError) return error.describe();
  if (error instanceof AbortedError) return CANCELLED;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * `signal` is the call's own: once it has aborted, whatever the wait threw (the SDK aborts with the
 * client's reason, often a plain string) is the cancellation, an ordinary event.
 */
export function toolErrorResult(error: unknown, logger: Logger, signal?: AbortSignal): CallToolResult {
  if (signal?.aborted || error instanceof AbortedError) {
    const reason: unknown = signal?.aborted ? signal.reason : error;
    logger.info('tool call cancelled', { reason, ...(error !== reason ? { error } : {}) });
    return { content: [{ type: 'text', text: CANCELLED }], isError: true };
  }
  if (error instanceof UserFacingError) logger.info('tool call refused or failed', { error });
  else logger.error('tool call crashed', { error, stack: error instanceof Error ? error.stack : undefined });
  return { content: [{ type: 'text', text: describeError(error) }], isError: true };
}
