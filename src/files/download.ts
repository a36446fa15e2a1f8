/**
 * Streams a video to disk: redirects followed, constant memory, sha256 computed as bytes arrive,
 * dropped or stalled transfers resumed with HTTP Range (validated by ETag), an expired URL
 * refreshed from the job, and the container checked. Bytes land in a temp file that is renamed
 * into place only when complete, so a partial file never appears under the final name.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../log.js';
import { SNIFF_BYTES, sniffContainer } from './container.js';
import { fetchFollowingRedirects } from './fetch-redirects.js';
import { chooseTarget, OutputPathError, prepareOutputDir, sanitiseFilename } from './output-path.js';
import { DownloadInProgressError, PartialFile } from './partial-file.js';
import { UnsafeFileError } from './safe-open.js';

export type DownloadFailure =
  | 'expired'
  | 'http'
  | 'network'
  | 'timeout'
  | 'integrity'
  | 'aborted'
  | 'filesystem';

export class DownloadError extends UserFacingError {
  override name = 'DownloadError';
  constructor(
    readonly reason: DownloadFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DownloadOptions {
  url: string;
  /** A fresh URL for the same video, for when the current one has expired. */
  refreshUrl?: () => Promise<string>;
  outputDir: string;
  filename?: string;
  defaultBase: string;
  signal?: AbortSignal;
  logger?: Logger;
  clock?: Clock;
  idleTimeoutMs?: number;
  maxAttempts?: number;
  /** Keep partial bytes under this key (the job id) so a later call, even after a restart, resumes them. */
  resumeKey?: string;
  onProgress?: (received: number, total: number | undefined) => void;
  /** Run every 4 MiB written; the bin passes a young-generation collection (src/bin/v8-memory.ts). */
  collectGarbage?: () => void;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  mimeType: 'video/mp4' | 'video/webm';
  container: 'mp4' | 'webm';
  resumed: number;
}

const EXPIRED_STATUSES = new Set([401, 403, 404, 410]);
const TOTAL_TIME_LIMIT_MS = 30 * 60_000;

/** Signed URLs carry credentials in their query: never log or show it. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function fsError(error: unknown, dir: string): DownloadError {
  if (error instanceof UnsafeFileError) {
    return new DownloadError(
      'filesystem',
      `Refused: ${error.message}. This server never makes one there, so it will not write through it; remove it and download again.`,
      { cause: error },
    );
  }
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const hint =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'it is not writable'
        : code;
  return new DownloadError(
    'filesystem',
    `Could not write the video in ${dir}: ${hint}. Free space or set VIDEO_MCP_OUTPUT_DIR to a writable directory.`,
    { cause: error },
  );
}

export async function downloadToFile(options: DownloadOptions): Promise<DownloadResult> {
  const deadline = AbortSignal.timeout(TOTAL_TIME_LIMIT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  // Refuse a bad filename before any byte is fetched ("webm" is the longer extension it may get).
  if (options.filename !== undefined) sanitiseFilename(options.filename, 'webm', options.outputDir);
  const realDir = await prepareOutputDir(options.outputDir);
  const part = await openPartial(
    realDir,
    options.resumeKey ?? `${options.defaultBase}.${randomBytes(6).toString('hex')}`,
    options.collectGarbage,
  );
  try {
    const resumed = await transferInto(part, options, signal);
    return { ...(await placeFinished(part, realDir, options)), resumed };
  } catch (error) {
    throw await settleFailure(error, part, options, deadline, realDir);
  }
}

/** The partial file for this download, opened so that a planted link or pipe is refused, never followed. */
async function openPartial(
  realDir: string,
  key: string,
  collectGarbage: (() => void) | undefined,
): Promise<PartialFile> {
  try {
    return await PartialFile.open(realDir, key, collectGarbage);
  } catch (error) {
    if (error instanceof DownloadInProgressError) throw new DownloadError('http', error.message);
    throw fsError(error, realDir);
  }
}

/** What one request did: the whole body is in, or why not and whether another attempt may help. */
type AttemptOutcome = { done: true } | { done: false; error: DownloadError; retry: boolean };

interface TransferState {
  url: string;
  total: number | undefined;
  validator: string | undefined;
  resumed: number;
}

/**
 * Fetches until every byte is in `part`, resuming with Range after drops; returns how many times it
 * resumed, or throws the last failure.
 */
async function transferInto(
  part: PartialFile,
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<number> {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 5;
  const state: TransferState = {
    url: options.url,
    total: part.state.total,
    validator: part.state.validator,
    resumed: 0,
  };
  if (part.received > 0)
    options.logger?.info('resuming a partial download', { bytes: part.received, total: state.total });
  let lastError: DownloadError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await clock.sleep(Math.min(250 * 2 ** (attempt - 2), 4_000), signal);
    const outcome = await attemptOnce(part, state, options, signal);
    if (outcome.done) {
      if (state.total !== undefined && part.received !== state.total) {
        throw new DownloadError(
          'integrity',
          `Received ${part.received} bytes but the server announced ${state.total}.`,
        );
      }
      return state.resumed;
    }
    lastError = outcome.error;
    if (!outcome.retry) break;
  }
  throw lastError ?? new DownloadError('network', 'The download did not complete.');
}

/** One request: asks for the bytes still missing and streams the answer into `part`. */
async function attemptOnce(
  part: PartialFile,
  state: TransferState,
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const headers: Record<string, string> = {};
  if (part.received > 0) {
    headers.range = `bytes=${part.received}-`;
    if (state.validator) headers['if-range'] = state.validator;
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await fetchFollowingRedirects(state.url, {
      headers,
      signal,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const failure = new DownloadError('network', `Could not reach ${redactUrl(state.url)}.`, {
      cause: error,
    });
    return { done: false, error: failure, retry: true };
  }
  const status = response.statusCode;
  if (EXPIRED_STATUSES.has(status)) {
    await response.body.dump();
    return refreshExpired(state, options, status);
  }
  if (status === 416 || (status === 206 && !matchesResume(response, part.received, state.validator))) {
    await response.body.dump();
    await part.restart();
    state.validator = undefined;
    const failure = new DownloadError('http', 'The server could not resume the transfer; starting over.');
    return { done: false, error: failure, retry: true };
  }
  if (status !== 200 && status !== 206) {
    await response.body.dump();
    const failure = new DownloadError(
      'http',
      `The video host answered HTTP ${status} for ${redactUrl(state.url)}.`,
    );
    return { done: false, error: failure, retry: status >= 500 || status === 408 || status === 429 };
  }
  if (status === 200 && part.received > 0) {
    await part.restart();
    state.validator = undefined;
  }
  if (status === 200) {
    const etag = response.headers.etag;
    state.validator = typeof etag === 'string' && !etag.startsWith('W/') ? etag : undefined;
  }
  state.total = totalOf(response) ?? state.total;
  // Saved with the next checkpoint; reading starts at once so no buffered bytes are lost to a drop.
  const { validator, total } = state;
  part.remember({ ...(validator ? { validator } : {}), ...(total !== undefined ? { total } : {}) });
  if (part.received > 0) state.resumed += 1;
  return streamBody(part, response, state.total, options, signal);
}

/** An expired URL is swapped for a fresh one from the job, if the caller can mint one. */
async function refreshExpired(
  state: TransferState,
  options: DownloadOptions,
  status: number,
): Promise<AttemptOutcome> {
  const failure = new DownloadError(
    'expired',
    `The video URL was refused (${status}); it has probably expired.`,
  );
  if (!options.refreshUrl) return { done: false, error: failure, retry: false };
  try {
    state.url = await options.refreshUrl();
  } catch (error) {
    throw new DownloadError(
      'expired',
      `The video URL expired and a fresh one could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  options.logger?.info('video URL refreshed', { url: redactUrl(state.url) });
  return { done: false, error: failure, retry: true };
}

/** Writes the response body into `part`; a drop is an outcome to retry, a write failure is final. */
async function streamBody(
  part: PartialFile,
  response: Dispatcher.ResponseData,
  total: number | undefined,
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      try {
        await part.write(chunk);
      } catch (error) {
        throw fsError(error, path.dirname(part.path));
      }
      options.onProgress?.(part.received, total);
    }
    if (total === undefined || part.received >= total) return { done: true };
    const failure = new DownloadError(
      'network',
      `The transfer ended early at ${part.received} of ${total} bytes.`,
    );
    return { done: false, error: failure, retry: true };
  } catch (error) {
    if (error instanceof DownloadError || signal.aborted) throw error;
    options.logger?.warn('video transfer dropped; will resume', {
      received: part.received,
      total,
      error,
    });
    const failure = new DownloadError(
      'network',
      `The transfer dropped at ${part.received} of ${total ?? '?'} bytes.`,
      { cause: error },
    );
    return { done: false, error: failure, retry: true };
  }
}

/** Checks the complete file (container, bytes on disk) and moves it to its final name. */
async function placeFinished(
  part: PartialFile,
  realDir: string,
  options: DownloadOptions,
): Promise<Omit<DownloadResult, 'resumed'>> {
  const sniffed = sniffContainer(part.head.subarray(0, Math.min(part.received, SNIFF_BYTES)));
  if (!sniffed) {
    throw new DownloadError(
      'integrity',
      'The downloaded file is not an MP4 or WebM video (the host may have sent an error page).',
    );
  }
  await part.finish();
  const onDisk = await part.file.stat();
  if (onDisk.size !== part.received) {
    throw new DownloadError(
      'filesystem',
      `Only ${onDisk.size} of ${part.received} bytes reached the disk in ${realDir}; free space and download again.`,
    );
  }
  const fileName =
    options.filename !== undefined
      ? sanitiseFilename(options.filename, sniffed.container, options.outputDir)
      : `${options.defaultBase}.${sniffed.container}`;
  const finalPath = await placeFile(part.path, realDir, fileName, onDisk.ino);
  const sha256 = part.hash.digest('hex');
  const bytes = part.received;
  await part.discard();
  return { path: finalPath, bytes, sha256, mimeType: sniffed.mimeType, container: sniffed.container };
}

/**
 * Names the failure for the caller, then keeps the bytes when a later call can resume them
 * (a transfer cut short) or removes every trace (a bad or refused one).
 */
async function settleFailure(
  error: unknown,
  part: PartialFile,
  options: DownloadOptions,
  deadline: AbortSignal,
  realDir: string,
): Promise<Error> {
  const failure =
    error instanceof DownloadError || error instanceof OutputPathError
      ? error
      : options.signal?.aborted
        ? new DownloadError('aborted', 'The download was cancelled.', { cause: error })
        : deadline.aborted
          ? new DownloadError('timeout', 'The download took too long and was stopped.', { cause: error })
          : fsError(error, realDir);
  const resumable =
    options.resumeKey !== undefined &&
    failure instanceof DownloadError &&
    ['network', 'timeout', 'aborted'].includes(failure.reason) &&
    part.received > 0;
  if (resumable) {
    await part.suspend();
    failure.message += ` The ${part.received} bytes received are kept; downloading again resumes from there.`;
  } else {
    await part.discard();
  }
  return failure;
}

function totalOf(response: Dispatcher.ResponseData): number | undefined {
  const range = response.headers['content-range'];
  if (typeof range === 'string') {
    const m = /\/(\d+)$/.exec(range);
    if (m) return Number(m[1]);
  }
  const length = Number(response.headers['content-length']);
  return response.statusCode === 200 && Number.isFinite(length) && length >= 0 ? length : undefined;
}

function matchesResume(
  response: Dispatcher.ResponseData,
  received: number,
  validator: string | undefined,
): boolean {
  const range = response.headers['content-range'];
  const m = typeof range === 'string' ? /^bytes (\d+)-/.exec(range) : null;
  const etag = response.headers.etag;
  return (
    !!m && Number(m[1]) === received && (validator === undefined || etag === undefined || etag === validator)
  );
}

/**
 * Moves the finished temp file to its final name without ever replacing an existing file. The
 * temp file is placed by name, so the result is checked to be the very file written (`ino`):
 * a link swapped in under the temp name meanwhile is removed, never kept as the video.
 */
async function placeFile(tempPath: string, realDir: string, fileName: string, ino: number): Promise<string> {
  const target = await moveWithoutReplacing(tempPath, realDir, fileName);
  const placed = await lstat(target);
  if (!placed.isFile() || placed.ino !== ino) {
    await unlink(target);
    throw new DownloadError(
      'filesystem',
      `Refused: the temporary file in ${realDir} was replaced while the video was being saved; download again.`,
    );
  }
  await syncDir(realDir);
  return target;
}

async function moveWithoutReplacing(tempPath: string, realDir: string, fileName: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const target = await chooseTarget(realDir, fileName);
    try {
      // link() fails if the name was taken meanwhile, where rename() would silently replace it.
      await link(tempPath, target);
      await unlink(tempPath);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && tries < 5) continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        await rename(tempPath, target);
        return target;
      }
      throw error;
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => {});
  await handle?.close();
}
