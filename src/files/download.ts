/**
 * Streams a video to disk: redirects followed, constant memory, sha256 computed as bytes arrive,
 * dropped or stalled transfers resumed with HTTP Range (validated by ETag), an expired URL
 * refreshed from the job, and the container checked. Bytes land in a temp file that is renamed
 * into place only when complete, so a partial file never appears under the final name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { type Logger, silentLogger } from '../log.js';
import { SNIFF_BYTES, sniffContainer } from './container.js';
import { fetchFollowingRedirects } from './fetch-redirects.js';
import { chooseTarget, OutputPathError, prepareOutputDir, sanitiseFilename } from './output-path.js';

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
  const tempPath = path.join(
    realDir,
    `.${options.defaultBase.replace(/[^\w.-]/g, '_')}.${randomBytes(6).toString('hex')}.part`,
  );
  let file: FileHandle;
  try {
    file = await open(tempPath, 'wx', 0o644);
  } catch (error) {
    throw fsError(error, realDir);
  }

  let url = options.url;
  let received = 0;
  let total: number | undefined;
  let validator: string | undefined;
  let hash = createHash('sha256');
  const head = Buffer.alloc(SNIFF_BYTES);
  let resumed = 0;
  let lastError: DownloadError | undefined;
  let finished = false;

  const restart = async (): Promise<void> => {
    received = 0;
    hash = createHash('sha256');
    await file.truncate(0);
  };

  try {
    for (let attempt = 1; attempt <= maxAttempts && !finished; attempt++) {
      if (attempt > 1) await clock.sleep(Math.min(250 * 2 ** (attempt - 2), 4_000), signal);
      const headers: Record<string, string> = {};
      if (received > 0) {
        headers.range = `bytes=${received}-`;
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
      if (status === 416 || (status === 206 && !matchesResume(response, received, validator))) {
        await response.body.dump();
        await restart();
        validator = undefined;
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
      if (status === 200 && received > 0) await restart();
      if (status === 200) {
        const etag = response.headers.etag;
        validator = typeof etag === 'string' && !etag.startsWith('W/') ? etag : undefined;
      }
      total = totalOf(response) ?? total;
      if (received > 0) resumed += 1;
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          if (received < SNIFF_BYTES)
            chunk.copy(head, received, 0, Math.min(chunk.length, SNIFF_BYTES - received));
          try {
            await file.write(chunk, 0, chunk.length, received);
          } catch (error) {
            throw fsError(error, realDir);
          }
          hash.update(chunk);
          received += chunk.length;
          options.onProgress?.(received, total);
        }
        finished = total === undefined || received >= total;
        if (!finished)
          lastError = new DownloadError(
            'network',
            `The transfer ended early at ${received} of ${total} bytes.`,
          );
      } catch (error) {
        if (error instanceof DownloadError || signal.aborted) throw error;
        logger.warn('video transfer dropped; will resume', { received, total, error });
        lastError = new DownloadError(
          'network',
          `The transfer dropped at ${received} of ${total ?? '?'} bytes.`,
          { cause: error },
        );
      }
    }
    if (!finished) {
      throw lastError ?? new DownloadError('network', 'The download did not complete.');
    }
    if (total !== undefined && received !== total) {
      throw new DownloadError('integrity', `Received ${received} bytes but the server announced ${total}.`);
    }
    const sniffed = sniffContainer(head.subarray(0, Math.min(received, SNIFF_BYTES)));
    if (!sniffed) {
      throw new DownloadError(
        'integrity',
        'The downloaded file is not an MP4 or WebM video (the host may have sent an error page).',
      );
    }
    await file.sync();
    await file.close();
    const fileName =
      options.filename !== undefined
        ? sanitiseFilename(options.filename, sniffed.container, options.outputDir)
        : `${options.defaultBase}.${sniffed.container}`;
    const finalPath = await placeFile(tempPath, realDir, fileName);
    return {
      path: finalPath,
      bytes: received,
      sha256: hash.digest('hex'),
      mimeType: sniffed.mimeType,
      container: sniffed.container,
      resumed,
    };
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(tempPath).catch(() => {});
    if (error instanceof DownloadError || error instanceof OutputPathError) throw error;
    if (options.signal?.aborted)
      throw new DownloadError('aborted', 'The download was cancelled; no file was kept.', { cause: error });
    if (deadline.aborted)
      throw new DownloadError('timeout', 'The download took too long and was stopped; no file was kept.', {
        cause: error,
      });
    throw fsError(error, realDir);
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
