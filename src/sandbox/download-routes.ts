/**
 * `/shrt/<token>` (302 to the file) and `/files/<job>.<ext>` (the video). No auth, as with Together's
 * links; both answer 403 "Request has expired" once the URL's lifetime is over.
 */
import { applyFault, type FaultQueue } from './faults.js';
import { type Exchange, sendBytes, sendJson, sendText } from './http-io.js';
import { type EmulatedJob, statusAt } from './job-store.js';
import { serveVideo } from './serve-video.js';
import { accessDeniedXml, type VideoLinks } from './video-links.js';

export interface DownloadDeps {
  jobs: ReadonlyMap<string, EmulatedJob>;
  links: VideoLinks;
  faults: FaultQueue;
  now: () => number;
  videoBytes: number | undefined;
}

function denied(ex: Exchange, message: string, now: number): void {
  sendText(ex, 403, 'application/xml', accessDeniedXml(message, now));
}

export async function handleDownload(ex: Exchange, deps: DownloadDeps): Promise<void> {
  const { url } = ex;
  if (url.pathname.startsWith('/shrt/')) {
    const target = deps.links.resolve(
      url.pathname.slice('/shrt/'.length),
      ex.origin,
      (id) => deps.jobs.get(id)?.container ?? 'mp4',
    );
    if (target === undefined) return sendJson(ex, 404, { error: { message: 'Link not found.' } });
    if (target === 'expired') return denied(ex, 'Request has expired', deps.now());
    return sendBytes(ex, 302, { location: target }, Buffer.alloc(0));
  }
  const check = deps.links.check(url);
  if (!check.ok) {
    const message =
      check.why === 'expired'
        ? 'Request has expired'
        : 'The request signature we calculated does not match the signature you provided.';
    return denied(ex, message, deps.now());
  }
  const job = deps.jobs.get(check.jobId);
  if (!job || statusAt(job, deps.now()) !== 'completed')
    return sendText(ex, 404, 'application/xml', '<Error><Code>NoSuchKey</Code></Error>');
  // Download faults hit the file itself, not the redirect in front of it.
  if (await applyFault(ex, deps.faults.take('download'))) return;
  await serveVideo(ex, job, deps.videoBytes);
}
