/**
 * Configuration, resolved once: defaults < environment < CLI flags. This is the only module that
 * reads process.env; everything else receives a Config. The variables themselves are in env-vars.ts.
 */
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_API_URL, readEnv } from './env-vars.js';
import { passwordsIn } from './jobs/pg-errors.js';
import type { LogLevel } from './log.js';

export { ConfigError, DEFAULT_API_URL, ENV_VARS } from './env-vars.js';

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
  /** Jobs, spend and rate limits in PostgreSQL (replicas); undefined: the state dir's ledger file. */
  databaseUrl?: string;
  /** The ffmpeg binary for frames (ffprobe beside it); undefined: both looked for on PATH. */
  ffmpeg?: string;
  /** With a database: how long a watch lease lasts unrenewed (a dead replica's jobs move on after it). */
  watchLeaseSeconds: number;
  http: HttpConfig;
  allowUnknownModels: boolean;
  logLevel: LogLevel;
  /** How long a sandbox job takes from create to completed. */
  sandboxJobSeconds: number;
  /** Rolling 24 h spend limit in USD, from the ledger. */
  maxSpendUsd?: number;
  /** Ask the user before a create estimated above this many USD (or of unknown cost). */
  confirmAboveUsd?: number;
  /** Save every video as soon as its job completes. */
  autoDownload: boolean;
  ui: boolean;
  /** The bin's start-up and memory tricks (src/bin/); off with VIDEO_MCP_NO_STARTUP_TRICKS. */
  startupTricks: boolean;
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
  databaseUrl?: string;
  logLevel?: LogLevel;
}

/** An absolute path, with a leading `~` as the home folder. */
function resolvePath(p: string, home: string): string {
  return path.resolve(p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p);
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: CliOverrides = {},
  home: string = os.homedir(),
): Config {
  const e = readEnv(env, { env, home });
  const apiKey = e.TOGETHER_API_KEY;
  const sandbox = overrides.sandbox === true || e.VIDEO_MCP_SANDBOX || !apiKey;
  const outputDir = resolvePath(overrides.outputDir ?? e.VIDEO_MCP_OUTPUT_DIR, home);
  const listedInputDirs = e.VIDEO_MCP_INPUT_DIRS?.map((d) => resolvePath(d, home));
  const config: Config = {
    apiUrl: e.VIDEO_MCP_API_URL,
    sandbox,
    // In sandbox mode the paid API is never the target: use an explicitly configured emulator or our own.
    startEmulator: sandbox && e.VIDEO_MCP_API_URL === DEFAULT_API_URL,
    outputDir,
    stateDir: resolvePath(e.VIDEO_MCP_STATE_DIR, home),
    watchLeaseSeconds: e.VIDEO_MCP_WATCH_LEASE_SECONDS,
    allowUnknownModels: e.VIDEO_MCP_ALLOW_UNKNOWN_MODELS,
    logLevel: overrides.logLevel ?? e.VIDEO_MCP_LOG_LEVEL,
    sandboxJobSeconds: e.VIDEO_MCP_SANDBOX_JOB_SECONDS,
    autoDownload: e.VIDEO_MCP_AUTO_DOWNLOAD,
    ui: e.VIDEO_MCP_UI,
    startupTricks: !e.VIDEO_MCP_NO_STARTUP_TRICKS,
    inputDirs: listedInputDirs ?? [outputDir, home],
    remoteInputDirs: listedInputDirs ?? [],
    home,
    http: {
      tokens: e.VIDEO_MCP_HTTP_TOKEN,
      allowedOrigins: e.VIDEO_MCP_HTTP_ALLOWED_ORIGINS,
      allowedHosts: e.VIDEO_MCP_HTTP_ALLOWED_HOSTS,
      maxSessions: e.VIDEO_MCP_HTTP_MAX_SESSIONS,
      maxSessionsPerToken: e.VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN,
      sessionIdleMinutes: e.VIDEO_MCP_HTTP_SESSION_IDLE_MINUTES,
      maxBodyBytes: Math.round(e.VIDEO_MCP_HTTP_MAX_BODY_MB * 1024 * 1024),
      createsPerMinute: e.VIDEO_MCP_HTTP_CREATES_PER_MINUTE,
      shutdownGraceSeconds: e.VIDEO_MCP_HTTP_SHUTDOWN_SECONDS,
    },
  };
  if (e.VIDEO_MCP_MAX_SPEND_USD !== undefined) config.maxSpendUsd = e.VIDEO_MCP_MAX_SPEND_USD;
  if (e.VIDEO_MCP_FFMPEG) config.ffmpeg = resolvePath(e.VIDEO_MCP_FFMPEG, home);
  const databaseUrl = overrides.databaseUrl ?? e.VIDEO_MCP_DATABASE_URL;
  if (databaseUrl) config.databaseUrl = databaseUrl;
  if (e.VIDEO_MCP_CONFIRM_ABOVE_USD !== undefined) config.confirmAboveUsd = e.VIDEO_MCP_CONFIRM_ABOVE_USD;
  if (apiKey && !sandbox) config.apiKey = apiKey;
  return config;
}

/** Values that must never be printed, for the logger's redaction. */
export function secretsOf(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    config.apiKey,
    ...config.http.tokens,
    env.TOGETHER_API_KEY,
    ...(config.databaseUrl ? passwordsIn(config.databaseUrl) : []),
    ...(env.VIDEO_MCP_DATABASE_URL ? passwordsIn(env.VIDEO_MCP_DATABASE_URL) : []),
  ].filter((s): s is string => !!s);
}
