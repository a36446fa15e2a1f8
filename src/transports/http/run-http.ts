/** `together-video-mcp --http`: checks the listen address against the auth settings, serves, shuts down cleanly. */
import { type Config, ConfigError } from '../../config.js';
import type { Logger } from '../../log.js';
import type { ServerFactory } from '../../server.js';
import { isLoopbackHost } from './guard.js';
import { type HttpServeOptions, serveHttp } from './serve-http.js';

export interface HttpFlags {
  port?: string | undefined;
  host?: string | undefined;
  stateless: boolean;
}

export function listenAddress(flags: HttpFlags, config: Config): { port: number; host: string } {
  const port = Number(flags.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`--port must be a whole number from 0 to 65535; got "${flags.port}"`);
  }
  const host = flags.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && config.http.tokens.length === 0) {
    throw new ConfigError(
      `Refusing to listen on ${host} without VIDEO_MCP_HTTP_TOKEN: anyone who can reach the port could ` +
        'spend your Together credits. Set a token (e.g. `openssl rand -hex 32`) or use --host 127.0.0.1.',
    );
  }
  return { port, host };
}

/** Serves until SIGTERM or SIGINT, then shuts down cleanly, runs `onClose` and exits. */
export async function runHttp(
  newServer: ServerFactory,
  options: HttpServeOptions,
  logger: Logger,
  onClose: () => Promise<void>,
): Promise<void> {
  const handle = await serveHttp(newServer, options, logger.child({ component: 'http' }));
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('signal received', { signal });
    await handle.close();
    // The ledger is written with fsync per record; closing the runtime lets pending writes finish.
    await onClose().catch((error: unknown) => logger.warn('cleanup failed', { error }));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
