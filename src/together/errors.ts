/**
 * Typed errors chosen by HTTP status, in the openai-node style. Each carries what an agent or a
 * user needs to act: the status, Together's own message and code, the request id, and, for the paid
 * create call, whether the job may exist despite the error. Never the API key.
 */
import { UserFacingError } from '../errors.js';

export interface ApiErrorDetails {
  status?: number;
  providerMessage?: string;
  code?: string;
  requestId?: string;
  retryAfterMs?: number;
  /** For the paid create: true when Together may have accepted the job despite the error. */
  jobMayExist?: boolean;
  cause?: unknown;
}

export abstract class TogetherApiError extends UserFacingError {
  override name = 'TogetherApiError';
  /** The class in snake case, for logs; code tells errors apart by class. */
  abstract readonly kind: string;
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
  readonly kind = 'bad_request';
}
export class AuthenticationError extends TogetherApiError {
  override name = 'AuthenticationError';
  readonly kind = 'authentication';
}
export class PaymentRequiredError extends TogetherApiError {
  override name = 'PaymentRequiredError';
  readonly kind = 'payment_required';
}
class PermissionDeniedError extends TogetherApiError {
  override name = 'PermissionDeniedError';
  readonly kind = 'permission_denied';
}
export class NotFoundError extends TogetherApiError {
  override name = 'NotFoundError';
  readonly kind = 'not_found';
}
class RateLimitError extends TogetherApiError {
  override name = 'RateLimitError';
  readonly kind = 'rate_limit';
}
class OverloadedError extends TogetherApiError {
  override name = 'OverloadedError';
  readonly kind = 'overloaded';
}
export class ServerError extends TogetherApiError {
  override name = 'ServerError';
  readonly kind = 'server';
}
class ApiStatusError extends TogetherApiError {
  override name = 'ApiStatusError';
  readonly kind = 'api_status';
}
export class ConnectionError extends TogetherApiError {
  override name = 'ConnectionError';
  readonly kind = 'connection';
}
export class TimeoutError extends TogetherApiError {
  override name = 'TimeoutError';
  readonly kind = 'timeout';
}
export class ProtocolError extends TogetherApiError {
  override name = 'ProtocolError';
  readonly kind = 'protocol';
}

function withProvider(summary: string, provider: string | undefined): string {
  return provider ? `${summary} Together said: "${provider}"` : summary;
}

/** Maps an HTTP error response to its typed error with an actionable message. */
export function errorForStatus(status: number, details: ApiErrorDetails): TogetherApiError {
  const p = details.providerMessage;
  const d = { ...details, status };
  switch (status) {
    case 400:
    case 422:
      return new BadRequestError(withProvider(`Together refused the request (${status}).`, p), d);
    case 401:
      return new AuthenticationError(
        withProvider(
          "Together rejected the API key (401). Check TOGETHER_API_KEY in the MCP client's server config.",
          p,
        ),
        d,
      );
    case 402:
      return new PaymentRequiredError(
        withProvider(
          'Together says payment is required (402): add credits or raise the spend limit at api.together.ai/settings/billing.',
          p,
        ),
        d,
      );
    case 403:
      return new PermissionDeniedError(withProvider('Together refused access (403).', p), d);
    case 404:
      return new NotFoundError(withProvider('Together found no such resource (404).', p), d);
    case 429:
      return new RateLimitError(
        withProvider('Together is rate limiting this key (429); wait and try again.', p),
        d,
      );
    case 503:
      return new OverloadedError(withProvider('Together is overloaded (503); try again shortly.', p), d);
    default:
      if (status >= 500)
        return new ServerError(withProvider(`Together had a server error (${status}).`, p), d);
      return new ApiStatusError(withProvider(`Together answered HTTP ${status}.`, p), d);
  }
}
