/** Jobs as MCP resources: `video-job://{job_id}` reads one job from the ledger as JSON. */
import { type McpServer, ResourceNotFoundError, ResourceTemplate } from '@modelcontextprotocol/server';
import type { JobStore } from '../jobs/job-store.js';
import { visibleTo } from '../jobs/ownership.js';
import { type JobScope, unknownJobMessage } from '../jobs/unknown-job.js';

const LISTED = 50;

export function registerJobResources(server: McpServer, ledger: JobStore, scope: JobScope): void {
  const { owner } = scope;
  server.registerResource(
    'video-job',
    new ResourceTemplate('video-job://{job_id}', {
      list: async () => ({
        resources: (await ledger.all())
          .filter((j) => !j.key.startsWith('local:') && visibleTo(j, owner))
          .slice(0, LISTED)
          .map((j) => ({
            uri: `video-job://${encodeURIComponent(j.key)}`,
            name: `${j.model ?? 'video'} ${j.key}`,
            description: `${j.status}${j.file_path ? `, saved to ${j.file_path}` : ''}`,
            mimeType: 'application/json',
          })),
      }),
    }),
    {
      title: 'Video job',
      description: 'A video job from the ledger, as JSON.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.job_id ?? ''));
      const job = await ledger.get(id);
      // The spec's answer for a resource that does not exist: -32602 with the URI in `data`.
      if (!job || !visibleTo(job, owner))
        throw new ResourceNotFoundError(uri.href, unknownJobMessage(id.slice(0, 200), scope));
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(job, null, 2) }],
      };
    },
  );
}
