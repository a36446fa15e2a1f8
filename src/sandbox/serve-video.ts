/**
 * Serves a job's video like a signed object store does: Content-Length, a strong ETag, Range and
 * If-Range, with backpressure so a multi-gigabyte body streams in constant memory.
 */
import type { ServerResponse } from 'node:http';
import { cutAfter, type Exchange } from './http-io.js';
import type { EmulatedJob } from './job-store.js';
import { videoBody } from './video-body.js';

type Range = { start: number; end: number };

/**
 * RFC 9110 single byte ranges. Syntax we do not serve (other units, several ranges) is ignored, which
 * means the whole file (as S3 does); a well-formed range that misses the file is unsatisfiable (416).
 */
function parseRange(header: string | undefined, length: number): Range | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || length === 0) return 'unsatisfiable';
    return { start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? length - 1 : Number(m[2]);
  if (m[2] !== '' && last < start) return undefined;
  if (start >= length) return 'unsatisfiable';
  return { start, end: Math.min(last, length - 1) };
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function serveVideo(
  ex: Exchange,
  job: EmulatedJob,
  videoBytes: number | undefined,
): Promise<void> {
  const { req, res, fault } = ex;
  if (fault?.kind === 'drop-after-accept') {
    res.destroy();
    return;
  }
  const body = videoBody(job.container, videoBytes);
  const etag = `"${job.id}-${body.length}"`;
  const lastModified = new Date(job.createdAt + job.durationMs).toUTCString();
  const headers = {
    'content-type': job.container === 'mp4' ? 'video/mp4' : 'video/webm',
    'accept-ranges': 'bytes',
    etag,
    'last-modified': lastModified,
    'cache-control': 'private, max-age=600',
  };
  const ifRange = req.headers['if-range'];
  // If-Range holds a strong ETag or an exact Last-Modified date; on a mismatch the whole file is sent.
  const rangeApplies = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  const range = rangeApplies ? parseRange(req.headers.range, body.length) : undefined;
  if (range === 'unsatisfiable') {
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
  const cut = fault?.kind === 'truncate' ? (fault.afterBytes ?? 0) : Number.POSITIVE_INFINITY;
  let sent = 0;
  for (const chunk of body.chunks(start, end)) {
    if (res.destroyed) return;
    if (sent + chunk.length > cut) {
      cutAfter(res, chunk.subarray(0, cut - sent));
      return;
    }
    sent += chunk.length;
    if (!res.write(chunk)) await waitForDrain(res);
  }
  res.end();
}
