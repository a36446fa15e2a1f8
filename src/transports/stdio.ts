/** stdio transport: stdin/stdout carry JSON-RPC, so nothing else may ever write to stdout. */

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log.js';
import type { ServerFactory } from '../server.js';
import { localScope } from '../tools/caller-scope.js';
import { errorResponse } from './jsonrpc-check.js';
import { checkedLines } from './stdio-lines.js';

/** Serves the one local caller until stdin ends or a signal arrives, then runs `onClose` and exits. */
export async function serveStdio(
  newServer: ServerFactory,
  logger: Logger,
  onClose: () => Promise<void>,
): Promise<void> {
  const server = newServer(localScope());
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
