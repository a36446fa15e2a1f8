/**
 * Serves a job's video like a signed object store does: Content-Length, a strong ETag, Range and
 * If-Range, with backpressure so a multi-gigabyte body streams in constant memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedJob } from './job-store.js';
import { videoBody } from './video-body.js';

export interface ServeOptions {
  job: EmulatedJob;
  videoBytes?: number;
  /** Fault: drop the connection after this many body bytes. */
  truncateAfter?: number;
}

function parseRange(
  header: string | undefined,
  length: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 ? 'invalid' : { start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? length - 1 : Math.min(Number(m[2]), length - 1);
  return start >= length || end < start ? 'invalid' : { start, end };
}

export async function serveVideo(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeOptions,
): Promise<void> {
  const body = videoBody(options.job.container, options.videoBytes);
  const etag = `"${options.job.id}-${body.length}"`;
  const headers: Record<string, string | number> = {
    'content-type': options.job.container === 'mp4' ? 'video/mp4' : 'video/webm',
    'accept-ranges': 'bytes',
    etag,
    'last-modified': new Date(options.job.createdAt + options.job.durationMs).toUTCString(),
  };
  const ifRange = req.headers['if-range'];
  const range =
    ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, body.length) : undefined;
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}`, 'content-length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? body.length - 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': end - start + 1,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let sent = 0;
  for (const chunk of body.chunks(start, end)) {
    if (res.destroyed) return;
    let piece = chunk;
    if (options.truncateAfter !== undefined && sent + piece.length > options.truncateAfter) {
      piece = piece.subarray(0, Math.max(0, options.truncateAfter - sent));
      if (piece.length) res.write(piece);
      // Let the partial bytes leave before the socket dies, as a real mid-transfer drop would.
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    sent += piece.length;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}
