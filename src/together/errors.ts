/**
 * Typed errors chosen by HTTP status, in the openai-node style. Each carries what an agent or a
 * user needs to act: the status, Together's own message and code, the request id, and, for the paid
 * create call, whether the job may exist despite the error. Never the API key.
 */
export type ErrorKind =
  | 'bad_request'
  | 'authentication'
  | 'payment_required'
  | 'permission_denied'
  | 'not_found'
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'api_status'
  | 'connection'
  | 'timeout'
  | 'protocol';

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

export class TogetherApiError extends Error {
  override name = 'TogetherApiError';
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly providerMessage: string | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  jobMayExist: boolean;

  constructor(kind: ErrorKind, message: string, details: ApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.providerMessage = details.providerMessage;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.jobMayExist = details.jobMayExist ?? false;
  }
}

export class BadRequestError extends TogetherApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends TogetherApiError {
  override name = 'AuthenticationError';
}
export class PaymentRequiredError extends TogetherApiError {
  override name = 'PaymentRequiredError';
}
export class PermissionDeniedError extends TogetherApiError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends TogetherApiError {
  override name = 'NotFoundError';
}
export class RateLimitError extends TogetherApiError {
  override name = 'RateLimitError';
}
export class OverloadedError extends TogetherApiError {
  override name = 'OverloadedError';
}
export class ServerError extends TogetherApiError {
  override name = 'ServerError';
}
export class ApiStatusError extends TogetherApiError {
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
      return new BadRequestError(
        'bad_request',
        withProvider(`Together refused the request (${status}).`, p),
        d,
      );
    case 401:
      return new AuthenticationError(
        'authentication',
        withProvider(
          "Together rejected the API key (401). Check TOGETHER_API_KEY in the MCP client's server config.",
          p,
        ),
        d,
      );
    case 402:
      return new PaymentRequiredError(
        'payment_required',
        withProvider(
          'Together says payment is required (402): add credits or raise the spend limit at api.together.ai/settings/billing.',
          p,
        ),
        d,
      );
    case 403:
      return new PermissionDeniedError(
        'permission_denied',
        withProvider('Together refused access (403).', p),
        d,
      );
    case 404:
      return new NotFoundError('not_found', withProvider('Together found no such resource (404).', p), d);
    case 429:
      return new RateLimitError(
        'rate_limit',
        withProvider('Together is rate limiting this key (429); wait and try again.', p),
        d,
      );
    case 503:
      return new OverloadedError(
        'overloaded',
        withProvider('Together is overloaded (503); try again shortly.', p),
        d,
      );
    default:
      if (status >= 500)
        return new ServerError('server', withProvider(`Together had a server error (${status}).`, p), d);
      return new ApiStatusError('api_status', withProvider(`Together answered HTTP ${status}.`, p), d);
  }
}
