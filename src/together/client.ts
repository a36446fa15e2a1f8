/**
 * The Together video API client: create, retrieve, list models. Knows nothing of MCP. Every call has
 * a per-attempt and an overall deadline and stops at once when the caller aborts; GETs retry with
 * back-off; the paid POST is retried only when Together provably did not accept it.
 */
import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { abortedError } from '../errors.js';
import { type Logger, redact, silentLogger } from '../log.js';
import { ConnectionError, errorForStatus, ProtocolError, TimeoutError, TogetherApiError } from './errors.js';
import { neverSent, retryAfterMs, retryDelayMs, shouldRetry } from './retry.js';
import type { CreateVideoRequest, RequestOptions, TogetherVideoApi, VideoJob } from './types.js';
import { parseErrorBody, parseJob } from './wire.js';

export interface TogetherClientOptions {
  apiKey: string;
  /** Origin only; the client adds /v2/videos itself (the SDKs lose /v2 when a base URL is overridden). */
  baseUrl: string;
  clock?: Clock;
  logger?: Logger;
  attemptTimeoutMs?: number;
  overallTimeoutMs?: number;
  maxRetries?: number;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal: AbortSignal | undefined;
}

export function createTogetherClient(options: TogetherClientOptions): TogetherVideoApi {
  const origin = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const attemptTimeout = options.attemptTimeoutMs ?? 30_000;
  const overallTimeout = options.overallTimeoutMs ?? 120_000;
  const maxRetries = options.maxRetries ?? 4;
  // Provider text reaches tool results and the ledger, and an upstream may echo the request's
  // Authorization header back: the key and any bearer token are scrubbed before anything keeps it.
  const scrub = (text: string): string => redact(text, [options.apiKey]);
  const jobOf = (body: unknown): VideoJob => {
    const job = parseJob(body);
    if (job.error) job.error = { ...job.error, message: scrub(job.error.message) };
    return job;
  };
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    accept: 'application/json',
    'user-agent': 'together-video-mcp',
  };

  async function attempt(call: Call, timeoutMs: number): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const started = clock.now();
    let response: Dispatcher.ResponseData;
    try {
      // Loaded at the first request, not at start-up (src/bin/startup-tricks.ts).
      const { request } = await import('undici');
      response = await request(`${origin}${call.path}`, {
        method: call.method,
        headers: call.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
      });
    } catch (error) {
      if (call.signal?.aborted) throw abortedError(call.signal);
      const jobMayExist = call.method === 'POST' && !neverSent(error);
      if (timeout.aborted) {
        const message = `Together did not answer within ${Math.round(timeoutMs / 1000)} s.`;
        throw new TimeoutError(message, { cause: error, jobMayExist });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`Could not reach Together at ${origin} (${reason}).`, {
        cause: error,
        jobMayExist,
      });
    }
    const requestId = [response.headers['x-request-id'], response.headers['cf-ray']].flat().find((v) => !!v);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (call.signal?.aborted) throw abortedError(call.signal);
      throw new ConnectionError('The connection to Together dropped while reading its answer.', {
        cause: error,
        jobMayExist: call.method === 'POST',
        requestId,
      });
    }
    logger.debug('together request', {
      method: call.method,
      path: call.path,
      status: response.statusCode,
      ms: clock.now() - started,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ProtocolError(`Together answered ${response.statusCode} with a body that is not JSON.`, {
          cause: error,
          status: response.statusCode,
          jobMayExist: call.method === 'POST',
          requestId,
        });
      }
    }
    const { message, code } = parseErrorBody(text);
    throw errorForStatus(response.statusCode, {
      providerMessage: message && scrub(message),
      code: code && scrub(code),
      requestId,
      retryAfterMs: retryAfterMs(response.headers, clock.now()),
      // A 5xx other than 503 on create may come after the job was queued.
      jobMayExist: call.method === 'POST' && response.statusCode >= 500 && response.statusCode !== 503,
    });
  }

  async function send(call: Call): Promise<unknown> {
    const deadline = clock.now() + overallTimeout;
    for (let retry = 0; ; retry++) {
      if (call.signal?.aborted) throw abortedError(call.signal);
      try {
        return await attempt(call, Math.max(1, Math.min(attemptTimeout, deadline - clock.now())));
      } catch (error) {
        if (!(error instanceof TogetherApiError)) throw error;
        const sent = call.method === 'GET' || error.status !== undefined || !neverSent(error.cause);
        if (retry >= maxRetries || !shouldRetry(call.method, error, sent)) throw error;
        const delay = retryDelayMs(retry, error.retryAfterMs);
        if (clock.now() + delay >= deadline) throw error;
        logger.warn('retrying Together request', {
          method: call.method,
          path: call.path,
          status: error.status,
          kind: error.kind,
          attempt: retry + 1,
          delay_ms: delay,
        });
        await clock.sleep(delay, call.signal);
      }
    }
  }

  return {
    async createVideo(body: CreateVideoRequest, opts: RequestOptions = {}) {
      return jobOf(await send({ method: 'POST', path: '/v2/videos', body, signal: opts.signal }));
    },
    async retrieveVideo(id: string, opts: RequestOptions = {}) {
      const path = `/v2/videos/${encodeURIComponent(id)}`;
      return jobOf(await send({ method: 'GET', path, signal: opts.signal }));
    },
  };
}
