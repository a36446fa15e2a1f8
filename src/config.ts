/**
 * Configuration, resolved once: defaults < environment < CLI flags. This is the only module that
 * reads process.env; everything else receives a Config.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { LogLevel } from './log.js';

export const DEFAULT_API_URL = 'https://api.together.ai';

export interface Config {
  /** Absent in sandbox mode. */
  apiKey?: string;
  /** Origin of the Together API (or of an emulator). */
  apiUrl: string;
  /** True when no API key is set or --sandbox was given: every result says so. */
  sandbox: boolean;
  /** In sandbox mode, whether the in-process emulator must be started (no external VIDEO_MCP_API_URL). */
  startEmulator: boolean;
  outputDir: string;
  /** Folders local input files may be read from. */
  inputDirs: string[];
  /** The same over HTTP, whose callers are elsewhere: only folders set in VIDEO_MCP_INPUT_DIRS, else none. */
  remoteInputDirs: string[];
  home: string;
  stateDir: string;
  http: HttpConfig;
  allowUnknownModels: boolean;
  logLevel: LogLevel;
  /** How long a sandbox job takes from create to completed. */
  sandboxJobSeconds: number;
  /** Rolling 24 h spend limit in USD, from the ledger. */
  maxSpendUsd?: number;
  /** Save every video as soon as its job completes. */
  autoDownload: boolean;
}

/** The Streamable HTTP transport's settings (only used with --http). */
export interface HttpConfig {
  /** Accepted bearer tokens; jobs made under one are invisible to the others. Empty: no auth. */
  tokens: string[];
  /** Browser origins allowed besides the loopback ones. */
  allowedOrigins: string[];
  /** Host header values allowed (DNS-rebinding protection); empty: loopback names when bound to loopback. */
  allowedHosts: string[];
  maxSessions: number;
  /** With tokens: most sessions one token may hold, so one token never closes another's. */
  maxSessionsPerToken: number;
  sessionIdleMinutes: number;
  maxBodyBytes: number;
  createsPerMinute: number;
  shutdownGraceSeconds: number;
}

export interface CliOverrides {
  sandbox?: boolean;
  outputDir?: string;
  logLevel?: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variables users may set, for --help, README and server.json. */
export const ENV_VARS = [
  [
    'TOGETHER_API_KEY',
    'Together AI API key. Without it the server runs in sandbox mode (free, local emulator).',
  ],
  [
    'VIDEO_MCP_API_URL',
    `API origin (default ${DEFAULT_API_URL}); point it at \`together-video-mcp emulator\` for CI.`,
  ],
  ['VIDEO_MCP_OUTPUT_DIR', 'Where downloaded videos are saved (default ~/Videos/together-video-mcp).'],
  ['VIDEO_MCP_STATE_DIR', 'Where the job ledger is kept (default ~/.local/state/together-video-mcp).'],
  ['VIDEO_MCP_SANDBOX', 'Set to 1 to use the sandbox even when an API key is set.'],
  ['VIDEO_MCP_SANDBOX_JOB_SECONDS', 'How long a sandbox video takes to "generate" (default 6).'],
  [
    'VIDEO_MCP_ALLOW_UNKNOWN_MODELS',
    'Set to 1 to pass model ids the registry does not know straight to the API.',
  ],
  [
    'VIDEO_MCP_INPUT_DIRS',
    `Folders (separated by "${path.delimiter}") local input files may come from (default: output dir and home; none over --http).`,
  ],
  [
    'VIDEO_MCP_MAX_SPEND_USD',
    'Refuse a create that would take the last 24 hours of spend past this many USD.',
  ],
  ['VIDEO_MCP_AUTO_DOWNLOAD', 'Set to 1 to save every video as soon as its job completes.'],
  [
    'VIDEO_MCP_HTTP_TOKEN',
    'HTTP: bearer token(s), comma-separated; required to bind beyond loopback. Each sees only its own jobs.',
  ],
  [
    'VIDEO_MCP_HTTP_ALLOWED_ORIGINS',
    'HTTP: extra browser origins allowed (comma-separated; loopback always is).',
  ],
  [
    'VIDEO_MCP_HTTP_ALLOWED_HOSTS',
    'HTTP: Host header names accepted (comma-separated; default the loopback names when bound to loopback).',
  ],
  [
    'VIDEO_MCP_HTTP_MAX_SESSIONS',
    'HTTP: most sessions open at once (default 500; the longest idle of the token holding most is closed).',
  ],
  [
    'VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN',
    "HTTP: most sessions one token may hold (default 100; its own longest idle is closed, never another token's).",
  ],
  ['VIDEO_MCP_HTTP_SESSION_IDLE_MINUTES', 'HTTP: close a session idle this long (default 30).'],
  ['VIDEO_MCP_HTTP_MAX_BODY_MB', 'HTTP: largest request body in MB (default 16).'],
  [
    'VIDEO_MCP_HTTP_CREATES_PER_MINUTE',
    'HTTP: create_video calls allowed per token per minute (default 10).',
  ],
  [
    'VIDEO_MCP_HTTP_SHUTDOWN_SECONDS',
    'HTTP: on SIGTERM, how long in-flight calls may finish before waits hand back job ids (default 10).',
  ],
  ['VIDEO_MCP_LOG_LEVEL', 'debug, info, warn, error or silent (default info); logs go to stderr.'],
] as const;

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['', '0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'expected 1/0, true/false, yes/no or on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const absoluteDir = z
  .string()
  .trim()
  .min(1)
  .refine((v) => path.isAbsolute(v) || v.startsWith('~'), {
    message: 'must be an absolute path (MCP clients often start servers with cwd "/")',
  });

const envSchema = z.object({
  TOGETHER_API_KEY: z.string().trim().optional(),
  VIDEO_MCP_API_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), {
      message: 'must be an http(s) origin such as https://api.together.ai',
    })
    .optional(),
  VIDEO_MCP_OUTPUT_DIR: absoluteDir.optional(),
  VIDEO_MCP_STATE_DIR: absoluteDir.optional(),
  VIDEO_MCP_SANDBOX: flag.optional(),
  VIDEO_MCP_SANDBOX_JOB_SECONDS: z.coerce.number().min(0).max(600).optional(),
  VIDEO_MCP_ALLOW_UNKNOWN_MODELS: flag.optional(),
  VIDEO_MCP_HTTP_TOKEN: z
    .string()
    .refine((v) => list(v).every((t) => t.length >= 16), {
      message: 'each token must be at least 16 characters (e.g. openssl rand -hex 32)',
    })
    .optional(),
  VIDEO_MCP_HTTP_ALLOWED_ORIGINS: z
    .string()
    .refine((v) => list(v).every((o) => /^https?:\/\/[^/]+$/.test(o)), {
      message: 'must be origins such as https://app.example.com, comma-separated',
    })
    .optional(),
  VIDEO_MCP_HTTP_ALLOWED_HOSTS: z.string().optional(),
  VIDEO_MCP_HTTP_MAX_SESSIONS: z.coerce.number().int().min(1).max(100_000).optional(),
  VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).optional(),
  VIDEO_MCP_HTTP_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
  VIDEO_MCP_HTTP_MAX_BODY_MB: z.coerce.number().positive().max(1024).optional(),
  VIDEO_MCP_HTTP_CREATES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).optional(),
  VIDEO_MCP_HTTP_SHUTDOWN_SECONDS: z.coerce.number().min(0).max(3600).optional(),
  VIDEO_MCP_MAX_SPEND_USD: z.coerce
    .number()
    .positive({ message: 'must be a positive number of USD, e.g. 5' })
    .optional(),
  VIDEO_MCP_AUTO_DOWNLOAD: flag.optional(),
  VIDEO_MCP_INPUT_DIRS: z
    .string()
    .refine(
      (v) =>
        v
          .split(path.delimiter)
          .every((d) => !d.trim() || path.isAbsolute(d.trim()) || d.trim().startsWith('~')),
      {
        message: `must be absolute folders separated by "${path.delimiter}"`,
      },
    )
    .optional(),
  VIDEO_MCP_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
});

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

function defaultStateDir(env: NodeJS.ProcessEnv, home: string): string {
  if (process.platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'together-video-mcp');
  }
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'together-video-mcp');
  const xdg = env.XDG_STATE_HOME;
  return path.join(
    xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state'),
    'together-video-mcp',
  );
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: CliOverrides = {},
  home: string = os.homedir(),
): Config {
  // Empty strings are how MCP client configs usually spell "unset".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const apiKey = e.TOGETHER_API_KEY;
  const sandbox = overrides.sandbox === true || e.VIDEO_MCP_SANDBOX === true || !apiKey;
  const externalApi = e.VIDEO_MCP_API_URL?.replace(/\/+$/, '');
  const config: Config = {
    apiUrl: externalApi ?? DEFAULT_API_URL,
    sandbox,
    // In sandbox mode the paid API is never the target: use an explicitly configured emulator or our own.
    startEmulator: sandbox && (externalApi === undefined || externalApi === DEFAULT_API_URL),
    outputDir: path.resolve(
      expandHome(
        overrides.outputDir ?? e.VIDEO_MCP_OUTPUT_DIR ?? path.join(home, 'Videos', 'together-video-mcp'),
        home,
      ),
    ),
    stateDir: path.resolve(expandHome(e.VIDEO_MCP_STATE_DIR ?? defaultStateDir(env, home), home)),
    allowUnknownModels: e.VIDEO_MCP_ALLOW_UNKNOWN_MODELS ?? false,
    logLevel: overrides.logLevel ?? e.VIDEO_MCP_LOG_LEVEL ?? 'info',
    sandboxJobSeconds: e.VIDEO_MCP_SANDBOX_JOB_SECONDS ?? 6,
    autoDownload: e.VIDEO_MCP_AUTO_DOWNLOAD ?? false,
    inputDirs: [],
    remoteInputDirs: [],
    home,
    http: {
      tokens: list(e.VIDEO_MCP_HTTP_TOKEN ?? ''),
      allowedOrigins: list(e.VIDEO_MCP_HTTP_ALLOWED_ORIGINS ?? ''),
      allowedHosts: list(e.VIDEO_MCP_HTTP_ALLOWED_HOSTS ?? '').map((h) => h.toLowerCase()),
      maxSessions: e.VIDEO_MCP_HTTP_MAX_SESSIONS ?? 500,
      maxSessionsPerToken: e.VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN ?? 100,
      sessionIdleMinutes: e.VIDEO_MCP_HTTP_SESSION_IDLE_MINUTES ?? 30,
      maxBodyBytes: Math.round((e.VIDEO_MCP_HTTP_MAX_BODY_MB ?? 16) * 1024 * 1024),
      createsPerMinute: e.VIDEO_MCP_HTTP_CREATES_PER_MINUTE ?? 10,
      shutdownGraceSeconds: e.VIDEO_MCP_HTTP_SHUTDOWN_SECONDS ?? 10,
    },
  };
  config.inputDirs = e.VIDEO_MCP_INPUT_DIRS
    ? e.VIDEO_MCP_INPUT_DIRS.split(path.delimiter)
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => path.resolve(expandHome(d, home)))
    : [config.outputDir, home];
  if (e.VIDEO_MCP_INPUT_DIRS) config.remoteInputDirs = config.inputDirs;
  if (e.VIDEO_MCP_MAX_SPEND_USD !== undefined) config.maxSpendUsd = e.VIDEO_MCP_MAX_SPEND_USD;
  if (apiKey && !sandbox) config.apiKey = apiKey;
  return config;
}

/** Values that must never be printed, for the logger's redaction. */
export function secretsOf(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  return [config.apiKey, ...config.http.tokens, env.TOGETHER_API_KEY].filter((s): s is string => !!s);
}
