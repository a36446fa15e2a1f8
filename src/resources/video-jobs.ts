/** Jobs as MCP resources: `video-job://{job_id}` reads one job from the ledger as JSON. */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { JobLedger } from '../jobs/ledger.js';
import { visibleTo } from '../jobs/ownership.js';
import { type JobScope, unknownJobMessage } from '../jobs/unknown-job.js';

const LISTED = 50;

/**
 * The SDK answers a thrown error with its `code` and `message`. McpError would prefix its own
 * "MCP error -32602:" to the message, which the client then prefixes again.
 */
class InvalidParamsError extends Error {
  readonly code = ErrorCode.InvalidParams;
}

export function registerJobResources(server: McpServer, ledger: JobLedger, scope: JobScope): void {
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
      // A wrong id is the caller's mistake (invalid params), not a server failure (internal error).
      if (!job || !visibleTo(job, owner))
        throw new InvalidParamsError(unknownJobMessage(id.slice(0, 200), scope));
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(job, null, 2) }],
      };
    },
  );
}
