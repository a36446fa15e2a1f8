/**
 * `video-bytes://{job_id}/{offset}`: up to 1 MiB of a job's saved video from `offset`, as a blob, so
 * the MCP Apps player can play it through MCP itself (no network opened to the view). The reply's
 * `_meta` says the file's size and the next offset (null at the end). Only the job's own saved file,
 * checked as download_video checks an earlier copy (size, sha256, in the output folder, no link);
 * only jobs the caller may see, with video-job://'s not-found answer for the rest.
 */
import type { Stats } from 'node:fs';
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { O_RDONLY, openRegular } from '../files/safe-open.js';
import { verifySavedFile } from '../files/saved-file.js';
import type { JobStore } from '../jobs/job-store.js';
import { visibleTo } from '../jobs/ownership.js';
import { type JobScope, unknownJobMessage } from '../jobs/unknown-job.js';

/** One read's most: a 64 MiB clip is 64 reads, none of which stalls a host bridge with a giant string. */
export const CHUNK_BYTES = 1_048_576;

interface BytesDeps extends JobScope {
  ledger: JobStore;
  outputDir: string;
}

/** A file checked once is not hashed again for each of its chunks while it stays the same file. */
type Checked = Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>;
const sameFile = (a: Checked, b: Checked): boolean =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeMs === b.mtimeMs &&
  a.ctimeMs === b.ctimeMs;

export function registerVideoBytesResource(server: McpServer, deps: BytesDeps): void {
  const checked = new Map<string, Checked & { path: string; mimeType: string }>();
  server.registerResource(
    'video-bytes',
    new ResourceTemplate('video-bytes://{job_id}/{offset}', { list: undefined }),
    {
      title: 'Video bytes',
      description:
        "Up to 1 MiB of a job's saved video from the offset; _meta gives the total and the next offset.",
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.job_id ?? ''));
      const job = await deps.ledger.get(id);
      if (!job || !visibleTo(job, deps.owner))
        throw new ResourceNotFoundError(uri.href, unknownJobMessage(id.slice(0, 200), deps));
      const offsetText = String(variables.offset ?? '');
      const offset = /^\d{1,15}$/.test(offsetText) ? Number(offsetText) : Number.NaN;
      if (!Number.isSafeInteger(offset))
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `offset must be a whole number of bytes (0, 1048576, ...), got "${offsetText.slice(0, 40)}"`,
        );
      const notSaved = (why: string) =>
        new ResourceNotFoundError(
          uri.href,
          `Job ${id} has no saved video${why}. Call download_video with this job_id first, then read video-bytes://${encodeURIComponent(id)}/0.`,
        );
      if (!job.file_path || job.sha256 === undefined || job.bytes === undefined) throw notSaved('');
      const opened = await openRegular(job.file_path, O_RDONLY).catch(() => undefined);
      if (!opened) throw notSaved(' (the saved file was moved or changed)');
      const { handle } = opened;
      try {
        const stats = await handle.stat();
        let known = checked.get(id);
        if (!known || known.path !== job.file_path || !sameFile(known, stats)) {
          checked.delete(id);
          const file = await verifySavedFile(
            { path: job.file_path, bytes: job.bytes, sha256: job.sha256 },
            deps.outputDir,
          );
          if (!file) throw notSaved(' (the saved file was moved or changed)');
          known = { ...pickStats(stats), path: job.file_path, mimeType: file.mimeType };
          checked.set(id, known);
        }
        const total = stats.size;
        if (offset > total)
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            `offset ${offset} is past the end of job ${id}'s video (${total} bytes); start at 0`,
          );
        const length = Math.min(CHUNK_BYTES, total - offset);
        const chunk = Buffer.alloc(length);
        const { bytesRead } = await handle.read(chunk, 0, length, offset);
        const end = offset + bytesRead;
        const meta = { 'together-video/total': total, 'together-video/next': end < total ? end : null };
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: known.mimeType,
              blob: chunk.subarray(0, bytesRead).toString('base64'),
              _meta: meta,
            },
          ],
          _meta: meta,
        };
      } finally {
        await handle.close();
      }
    },
  );
}

function pickStats(s: Stats): Checked {
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
}
