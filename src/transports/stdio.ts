/** stdio transport: stdin/stdout carry JSON-RPC, so nothing else may ever write to stdout. */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log.js';
import { errorResponse } from './jsonrpc-check.js';
import { checkedLines } from './stdio-lines.js';

export async function serveStdio(
  server: McpServer,
  logger: Logger,
  onClose: () => Promise<void>,
): Promise<void> {
  // Refusals are written whole, one line per write, so they never interleave with the SDK's lines.
  const input = process.stdin.pipe(
    checkedLines({
      refuse: (refusal, bytes) => {
        logger.warn('refused a stdin line that is not a JSON-RPC message', {
          code: refusal.code,
          reason: refusal.message,
          bytes,
        });
        process.stdout.write(`${errorResponse(refusal)}\n`);
      },
    }),
  );
  const transport = new StdioServerTransport(input, process.stdout);
  let closing = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { reason });
    await server.close().catch(() => {});
    await onClose().catch((error: unknown) => logger.warn('cleanup failed', { error }));
    process.exit(0);
  };
  transport.onclose = () => void shutdown('stdin closed');
  process.stdin.on('end', () => void shutdown('stdin ended'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await server.connect(transport);
  logger.info('ready on stdio');
}
