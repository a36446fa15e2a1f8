/** `together-video-mcp emulator`: the sandbox API on its own, for users' CI and manual testing. */
import { ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import { startEmulator } from './emulator.js';
import { costFromRegistry } from './registry-cost.js';

export interface EmulatorCliOptions {
  port: string | undefined;
  host: string | undefined;
  shape: string | undefined;
  jobSeconds: string | undefined;
  /** Serve videos padded to this size, to try large downloads. */
  videoBytes: string | undefined;
  apiKey: string | undefined;
  logger: Logger;
}

function intOption(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new ConfigError(`--${name} must be a whole number from 0 to ${max}; got "${value}"`);
  return n;
}

export async function runEmulator(options: EmulatorCliOptions): Promise<void> {
  const shape = options.shape ?? 'spec';
  if (shape !== 'spec' && shape !== 'docs')
    throw new ConfigError(`--shape must be "spec" or "docs"; got "${shape}"`);
  const emulator = await startEmulator({
    host: options.host ?? '127.0.0.1',
    port: intOption('port', options.port, 0, 65535),
    shape,
    jobDurationMs: intOption('job-seconds', options.jobSeconds, 6, 3600) * 1000,
    ...(options.videoBytes !== undefined
      ? { videoBytes: intOption('video-bytes', options.videoBytes, 0, 64 * 1024 ** 3) }
      : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    costFor: costFromRegistry,
    logger: options.logger,
  });
  // The URL is the one thing a user of this command needs, so it goes to stdout (this is not the MCP server).
  process.stdout.write(
    `Together API emulator listening on ${emulator.url}\nSet VIDEO_MCP_API_URL=${emulator.url}\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
