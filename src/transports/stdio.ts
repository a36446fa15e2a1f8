/** stdio transport: stdin/stdout carry JSON-RPC, so nothing else may ever write to stdout. */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log.js';

export async function serveStdio(
  server: McpServer,
  logger: Logger,
  onClose: () => Promise<void>,
): Promise<void> {
  const transport = new StdioServerTransport();
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
