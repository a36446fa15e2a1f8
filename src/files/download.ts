/**
 * Streams a video to disk: redirects followed, constant memory, sha256 computed as bytes arrive,
 * dropped or stalled transfers resumed with HTTP Range (validated by ETag), an expired URL
 * refreshed from the job, and the container checked. Bytes land in a temp file that is renamed
 * into place only when complete, so a partial file never appears under the final name.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { type Logger, silentLogger } from '../log.js';
import { SNIFF_BYTES, sniffContainer } from './container.js';
import { fetchFollowingRedirects } from './fetch-redirects.js';
import { chooseTarget, OutputPathError, prepareOutputDir, sanitiseFilename } from './output-path.js';
import { DownloadInProgressError, PartialFile } from './partial-file.js';

export type DownloadFailure =
  | 'expired'
  | 'http'
  | 'network'
  | 'timeout'
  | 'integrity'
  | 'aborted'
  | 'filesystem';

export class DownloadError extends Error {
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
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  logger?: Logger;
  clock?: Clock;
  maxRedirects?: number;
  idleTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxAttempts?: number;
  /** Keep partial bytes under this key (the job id) so a later call, even after a restart, resumes them. */
  resumeKey?: string;
  onProgress?: (received: number, total: number | undefined) => void;
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

/** Signed URLs carry credentials in their query: never log or show it. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function fsError(error: unknown, dir: string): DownloadError {
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
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 5;
  const idle = options.idleTimeoutMs ?? 30_000;
  const deadline = AbortSignal.timeout(options.totalTimeoutMs ?? 30 * 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  // Refuse a bad filename before any byte is fetched.
  if (options.filename !== undefined) sanitiseFilename(options.filename, 'mp4', options.outputDir);
  const realDir = await prepareOutputDir(options.outputDir);
  let part: PartialFile;
  try {
    part = await PartialFile.open(
      realDir,
      options.resumeKey ?? `${options.defaultBase}.${randomBytes(6).toString('hex')}`,
    );
  } catch (error) {
    if (error instanceof DownloadInProgressError) throw new DownloadError('http', error.message);
    throw fsError(error, realDir);
  }

  let url = options.url;
  let total = part.state.total;
  let validator = part.state.validator;
  let resumed = 0;
  let lastError: DownloadError | undefined;
  let finished = false;
  if (part.received > 0) logger.info('resuming a partial download', { bytes: part.received, total });

  const restart = async (): Promise<void> => {
    await part.restart();
    validator = undefined;
  };

  try {
    for (let attempt = 1; attempt <= maxAttempts && !finished; attempt++) {
      if (attempt > 1) await clock.sleep(Math.min(250 * 2 ** (attempt - 2), 4_000), signal);
      const headers: Record<string, string> = {};
      if (part.received > 0) {
        headers.range = `bytes=${part.received}-`;
        if (validator) headers['if-range'] = validator;
      }
      let response: Dispatcher.ResponseData;
      try {
        response = await fetchFollowingRedirects(url, {
          headers,
          signal,
          idleTimeoutMs: idle,
          maxRedirects: options.maxRedirects ?? 5,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = new DownloadError('network', `Could not reach ${redactUrl(url)}.`, { cause: error });
        continue;
      }
      const status = response.statusCode;
      if (EXPIRED_STATUSES.has(status)) {
        await response.body.dump();
        lastError = new DownloadError(
          'expired',
          `The video URL was refused (${status}); it has probably expired.`,
        );
        if (!options.refreshUrl) break;
        try {
          url = await options.refreshUrl();
        } catch (error) {
          throw new DownloadError(
            'expired',
            `The video URL expired and a fresh one could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        logger.info('video URL refreshed', { url: redactUrl(url) });
        continue;
      }
      if (status === 416 || (status === 206 && !matchesResume(response, part.received, validator))) {
        await response.body.dump();
        await restart();
        lastError = new DownloadError('http', 'The server could not resume the transfer; starting over.');
        continue;
      }
      if (status !== 200 && status !== 206) {
        await response.body.dump();
        lastError = new DownloadError(
          'http',
          `The video host answered HTTP ${status} for ${redactUrl(url)}.`,
        );
        if (status < 500 && status !== 408 && status !== 429) break;
        continue;
      }
      if (status === 200 && part.received > 0) await restart();
      if (status === 200) {
        const etag = response.headers.etag;
        validator = typeof etag === 'string' && !etag.startsWith('W/') ? etag : undefined;
      }
      total = totalOf(response) ?? total;
      // Saved with the next checkpoint; reading starts at once so no buffered bytes are lost to a drop.
      part.remember({ ...(validator ? { validator } : {}), ...(total !== undefined ? { total } : {}) });
      if (part.received > 0) resumed += 1;
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          try {
            await part.write(chunk);
          } catch (error) {
            throw fsError(error, realDir);
          }
          options.onProgress?.(part.received, total);
        }
        finished = total === undefined || part.received >= total;
        if (!finished)
          lastError = new DownloadError(
            'network',
            `The transfer ended early at ${part.received} of ${total} bytes.`,
          );
      } catch (error) {
        if (error instanceof DownloadError || signal.aborted) throw error;
        logger.warn('video transfer dropped; will resume', { received: part.received, total, error });
        lastError = new DownloadError(
          'network',
          `The transfer dropped at ${part.received} of ${total ?? '?'} bytes.`,
          { cause: error },
        );
      }
    }
    if (!finished) {
      throw lastError ?? new DownloadError('network', 'The download did not complete.');
    }
    if (total !== undefined && part.received !== total) {
      throw new DownloadError(
        'integrity',
        `Received ${part.received} bytes but the server announced ${total}.`,
      );
    }
    const sniffed = sniffContainer(part.head.subarray(0, Math.min(part.received, SNIFF_BYTES)));
    if (!sniffed) {
      throw new DownloadError(
        'integrity',
        'The downloaded file is not an MP4 or WebM video (the host may have sent an error page).',
      );
    }
    await part.finish();
    const onDisk = (await part.file.stat()).size;
    if (onDisk !== part.received) {
      throw new DownloadError(
        'filesystem',
        `Only ${onDisk} of ${part.received} bytes reached the disk in ${realDir}; free space and download again.`,
      );
    }
    const fileName =
      options.filename !== undefined
        ? sanitiseFilename(options.filename, sniffed.container, options.outputDir)
        : `${options.defaultBase}.${sniffed.container}`;
    const finalPath = await placeFile(part.path, realDir, fileName);
    const sha256 = part.hash.digest('hex');
    const bytes = part.received;
    await part.discard();
    return {
      path: finalPath,
      bytes,
      sha256,
      mimeType: sniffed.mimeType,
      container: sniffed.container,
      resumed,
    };
  } catch (error) {
    const failure =
      error instanceof DownloadError || error instanceof OutputPathError
        ? error
        : options.signal?.aborted
          ? new DownloadError('aborted', 'The download was cancelled.', { cause: error })
          : deadline.aborted
            ? new DownloadError('timeout', 'The download took too long and was stopped.', { cause: error })
            : fsError(error, realDir);
    // A transfer cut short is worth resuming next time; a bad or refused one is not.
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
    throw failure;
  }
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

/** Moves the finished temp file to its final name without ever replacing an existing file. */
async function placeFile(tempPath: string, realDir: string, fileName: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const target = await chooseTarget(realDir, fileName);
    try {
      // link() fails if the name was taken meanwhile, where rename() would silently replace it.
      await link(tempPath, target);
      await unlink(tempPath);
      await syncDir(realDir);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && tries < 5) continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        await rename(tempPath, target);
        await syncDir(realDir);
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
