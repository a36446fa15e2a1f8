/**
 * stdio transport: stdin/stdout carry JSON-RPC, so nothing else may ever write to stdout.
 *
 * The SDK's serveStdio picks the protocol era from the opening message and pins one server to the
 * connection: a 2025-era client opens with initialize, a 2026-07-28 client with a request that
 * carries its version in `_meta` (server/discover). Our line filter sits in front of it either way.
 */

import type { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio as serveBothEras } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../log.js';
import { type CallerScope, localScope } from '../tools/caller-scope.js';
import { errorResponse } from './jsonrpc-check.js';
import { checkedLines } from './stdio-lines.js';

/** Serves the one local caller until stdin ends or a signal arrives, then runs `onClose` and exits. */
export interface StdioServing {
  newServer(scope: CallerScope): Promise<McpServer>;
  /** Once, at the first request that is not `server/discover` (a probe's only request). */
  onFirstRequest(): Promise<void>;
}

export function serveStdio(serving: StdioServing, logger: Logger, onClose: () => Promise<void>): void {
  let requested = false;
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
      accept: (message) => {
        if (requested || (message as { method?: unknown }).method === 'server/discover') return;
        requested = true;
        void serving.onFirstRequest();
      },
    }),
  );
  const transport = new StdioServerTransport(input, process.stdout);
  // One caller per process, whichever era it speaks (a 2026 client's probe is a process of its own).
  const scope = localScope();
  let closing = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { reason });
    await handle.close().catch(() => {});
    await onClose().catch((error: unknown) => logger.warn('cleanup failed', { error }));
    process.exit(0);
  };
  const handle = serveBothEras(
    ({ era }) => {
      logger.debug('connection opened', { era });
      return serving.newServer(scope);
    },
    {
      transport,
      onerror: (error) => logger.debug('stdio transport error', { error }),
    },
  );
  transport.onclose = () => void shutdown('stdin closed');
  process.stdin.on('end', () => void shutdown('stdin ended'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  logger.info('ready on stdio');
}
