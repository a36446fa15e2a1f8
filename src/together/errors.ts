/**
 * Typed errors chosen by HTTP status, in the openai-node style. Each carries what an agent or a
 * user needs to act: the status, Together's own message and code, the request id, and, for the paid
 * create call, whether the job may exist despite the error. Never the API key.
 */
import { UserFacingError } from '../errors.js';

export interface ApiErrorDetails {
  status?: number;
  providerMessage?: string | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** For the paid create: true when Together may have accepted the job despite the error. */
  jobMayExist?: boolean;
  cause?: unknown;
}

export abstract class TogetherApiError extends UserFacingError {
  override name = 'TogetherApiError';
  readonly status: number | undefined;
  readonly providerMessage: string | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  jobMayExist: boolean;

  constructor(message: string, details: ApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.providerMessage = details.providerMessage;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.jobMayExist = details.jobMayExist ?? false;
  }

  /** For logs: the class name in snake case without "Error" (`NotFoundError` is `not_found`). */
  get kind(): string {
    return this.name
      .replace(/Error$/, '')
      .replace(/\B([A-Z])/g, '_$1')
      .toLowerCase();
  }

  /** The message with Together's code and request id (for support), and a warning when the job may exist. */
  override describe(): string {
    const refs = [this.code ? `code ${this.code}` : '', this.requestId ? `request id ${this.requestId}` : '']
      .filter(Boolean)
      .join(', ');
    const text = refs ? `${this.message} (${refs})` : this.message;
    return this.jobMayExist
      ? `${text} The job may already exist and be charged even so: check Together's dashboard before creating it again.`
      : text;
  }
}

class BadRequestError extends TogetherApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends TogetherApiError {
  override name = 'AuthenticationError';
}
export class PaymentRequiredError extends TogetherApiError {
  override name = 'PaymentRequiredError';
}
class PermissionDeniedError extends TogetherApiError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends TogetherApiError {
  override name = 'NotFoundError';
}
class RateLimitError extends TogetherApiError {
  override name = 'RateLimitError';
}
class OverloadedError extends TogetherApiError {
  override name = 'OverloadedError';
}
export class ServerError extends TogetherApiError {
  override name = 'ServerError';
}
class ApiStatusError extends TogetherApiError {
  override name = 'ApiStatusError';
}
export class ConnectionError extends TogetherApiError {
  override name = 'ConnectionError';
}
export class TimeoutError extends TogetherApiError {
  override name = 'TimeoutError';
}
export class ProtocolError extends TogetherApiError {
  override name = 'ProtocolError';
}

type ErrorClass = new (message: string, details: ApiErrorDetails) => TogetherApiError;

/** The typed error for an HTTP status, and what it means for the user. */
function classify(status: number): [ErrorClass, string] {
  switch (status) {
    case 400:
    case 422:
      return [BadRequestError, `Together refused the request (${status}).`];
    case 401:
      return [
        AuthenticationError,
        "Together rejected the API key (401). Check TOGETHER_API_KEY in the MCP client's server config.",
      ];
    case 402:
      return [
        PaymentRequiredError,
        'Together says payment is required (402): add credits or raise the spend limit at api.together.ai/settings/billing.',
      ];
    case 403:
      return [PermissionDeniedError, 'Together refused access (403).'];
    case 404:
      return [NotFoundError, 'Together found no such resource (404).'];
    case 429:
      return [RateLimitError, 'Together is rate limiting this key (429); wait and try again.'];
    case 503:
      return [OverloadedError, 'Together is overloaded (503); try again shortly.'];
    default:
      if (status >= 500) return [ServerError, `Together had a server error (${status}).`];
      return [ApiStatusError, `Together answered HTTP ${status}.`];
  }
}

/** Maps an HTTP error response to its typed error with an actionable message. */
export function errorForStatus(status: number, details: ApiErrorDetails): TogetherApiError {
  const [ErrorClass, summary] = classify(status);
  const provider = details.providerMessage;
  return new ErrorClass(provider ? `${summary} Together said: "${provider}"` : summary, {
    ...details,
    status,
  });
}
