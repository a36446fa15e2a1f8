/**
 * Entry point. `together-video-mcp` serves MCP over stdio; `emulator` runs the sandbox API on its own;
 * `demo` connects a real MCP client to this server and makes a video.
 */
import { parseArgs } from 'node:util';
import { applyStartupTricks } from './bin/startup-tricks.js';
import { type Config, ConfigError, loadConfig, secretsOf } from './config.js';
import { helpText } from './help.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './log.js';
import type { RuntimeOptions } from './runtime.js';
import type { HttpFlags } from './transports/http/run-http.js';
import { SERVER_NAME, VERSION } from './version.js';

function logLevelOf(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got "${value}"`);
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  sandbox: { type: 'boolean' },
  'output-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'log-level': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  shape: { type: 'string' },
  'job-seconds': { type: 'string' },
  'video-bytes': { type: 'string' },
  'api-key': { type: 'string' },
  prompt: { type: 'string' },
  model: { type: 'string' },
  real: { type: 'boolean' },
  http: { type: 'boolean' },
  stateless: { type: 'boolean' },
} as const;

/** node:util's parse errors, with the way to the list of options. */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    const what = unknown ? `Unknown option ${unknown[1]}.` : message.replace(/([^.])$/, '$1.');
    throw new ConfigError(`${what} Run together-video-mcp --help for the options.`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) {
    process.stdout.write(helpText());
    return;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const command = positionals[0] ?? 'serve';
  const logLevel = logLevelOf(values['log-level']);
  if (command === 'emulator') {
    const { runEmulator } = await import('./sandbox/emulator-cli.js');
    await runEmulator({
      port: values.port,
      host: values.host,
      shape: values.shape,
      jobSeconds: values['job-seconds'],
      videoBytes: values['video-bytes'],
      apiKey: values['api-key'],
      logger: createLogger({ level: logLevel ?? 'info' }),
    });
    return;
  }
  if (command === 'import-ledger') {
    const { importLedger } = await import('./import-ledger.js');
    const config = { ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) };
    const logger = createLogger({
      level: logLevel ?? 'warn',
      secrets: secretsOf(loadConfig(process.env, config)),
    });
    process.stdout.write(`${await importLedger(config, logger)}\n`);
    return;
  }
  if (command === 'demo') {
    const { runDemo } = await import('./demo.js');
    await runDemo({
      prompt: values.prompt,
      model: values.model,
      real: values.real === true,
      outputDir: values['output-dir'],
    });
    return;
  }
  if (command !== 'serve')
    throw new ConfigError(`Unknown command "${command}". Run together-video-mcp --help.`);

  const config = loadConfig(process.env, {
    ...(values.sandbox ? { sandbox: true } : {}),
    ...(values['output-dir'] ? { outputDir: values['output-dir'] } : {}),
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    ...(logLevel ? { logLevel } : {}),
  });
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const hooks = await applyStartupTricks(config);
  if (!values.http && values.stateless) throw new ConfigError('--stateless only applies with --http.');
  const http = values.http
    ? { port: values.port, host: values.host, stateless: values.stateless === true }
    : undefined;
  await serve(config, logger, http, hooks);
}

/** Builds the runtime once and hands the transport a factory for each caller's server. */
async function serve(
  config: Config,
  logger: Logger,
  http: HttpFlags | undefined,
  hooks: RuntimeOptions,
): Promise<void> {
  const [{ startRuntime }, { createServer }] = await Promise.all([
    import('./runtime.js'),
    import('./server.js'),
  ]);
  if (http) {
    const { listenAddress, runHttp } = await import('./transports/http/run-http.js');
    // Checked before anything starts, so a refused address leaves nothing behind.
    const address = listenAddress(http, config);
    const { app, close, resumeBackground } = await startRuntime(
      { ...config, inputDirs: config.remoteInputDirs },
      logger,
      hooks,
    );
    const options = {
      ...address,
      stateless: http.stateless,
      http: config.http,
      sandbox: app.sandbox,
      store: app.ledger,
      clock: app.clock,
    };
    await resumeBackground();
    await runHttp((scope) => createServer(app, scope), options, logger, close);
    return;
  }
  const { serveStdio } = await import('./transports/stdio.js');
  // The runtime starts while the client's first message is read: ~4 ms of a ~100 ms cold start.
  // A start that fails still ends the process with its message (main's catch).
  const runtime = startRuntime(config, logger, hooks);
  serveStdio(
    {
      newServer: async (scope) => createServer((await runtime).app, scope),
      // Not at a 2026-era client's probe (server/discover, then killed): at its real connection.
      onFirstRequest: async () => (await runtime).resumeBackground(),
    },
    logger,
    async () => (await runtime).close(),
  );
  await runtime;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${SERVER_NAME}: ${message}\n`);
  // A usage error (parseCommandLine turns node:util's into ConfigError) exits 2, like other CLIs.
  process.exit(error instanceof ConfigError ? 2 : 1);
});
