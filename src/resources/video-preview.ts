/**
 * `video-preview://{job_id}`: the contact sheet of a job's saved video as a JPEG blob, made from the
 * file at each read (saved-preview.ts). Visible to the same callers as `video-job://`, and an id they
 * may not see gets the same not-found answer.
 */
import { type McpServer, ResourceNotFoundError, ResourceTemplate } from '@modelcontextprotocol/server';
import { visibleTo } from '../jobs/ownership.js';
import { previewSavedJob, type SavedPreviewDeps } from '../jobs/saved-preview.js';
import { unknownJobMessage } from '../jobs/unknown-job.js';

export function registerPreviewResource(server: McpServer, deps: SavedPreviewDeps): void {
  server.registerResource(
    'video-preview',
    // No list: every saved job would be listed twice (here and as video-job://) for an image few want.
    new ResourceTemplate('video-preview://{job_id}', { list: undefined }),
    {
      title: 'Video preview',
      description: "4 frames of a job's saved video in one JPEG (start, 1/3, 2/3, end).",
      mimeType: 'image/jpeg',
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.job_id ?? ''));
      const job = await deps.ledger.get(id);
      if (!job || !visibleTo(job, deps.owner))
        throw new ResourceNotFoundError(uri.href, unknownJobMessage(id.slice(0, 200), deps));
      const { sheet } = await previewSavedJob(deps, id);
      return { contents: [{ uri: uri.href, mimeType: sheet.mimeType, blob: sheet.data.toString('base64') }] };
    },
  );
}
