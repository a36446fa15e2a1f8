/**
 * Every environment variable the server reads, in one table: how it is parsed, its default and what it
 * means. loadConfig, --help, README's configuration table and server.json are all made from it
 * (`npm run sync-docs` rewrites the last two; their tests fail until it has run).
 */
import path from 'node:path';
import { z } from 'zod';
import { UserFacingError } from './errors.js';
import { LOG_LEVELS } from './log.js';
import { OFF_WORDS, ON_WORDS } from './on-off.js';

export const DEFAULT_API_URL = 'https://api.together.ai';

/** What a default may depend on. */
interface DefaultContext {
  env: NodeJS.ProcessEnv;
  home: string;
}

interface EnvVar<T> {
  /**
   * Parses the raw text (never empty: an empty value counts as unset); `.optional()` when it has no
   * default. Built when first needed: most variables are unset, and building every zod schema at
   * start-up cost ~4 ms of a ~100 ms cold start (bench/sdk-budget.mjs).
   */
  schema: () => z.ZodType<T>;
  /** The value when unset; a function when it depends on the home folder or the platform. */
  default: NoInfer<T> | ((ctx: DefaultContext) => NoInfer<T>);
  /** The default as the docs show it, when it is not simply the value. */
  shownDefault?: string;
  /** One text for --help, README and server.json: plain words, `code` in backticks. */
  help: string;
  /** server.json's input format. */
  format: 'string' | 'number' | 'boolean' | 'filepath';
  /** Marked isSecret in server.json. */
  secret?: true;
  /** Only read by `--http`. */
  httpOnly?: true;
  /** The CLI flag that overrides the variable, with its argument's name. */
  flag?: string;
}

/** Identity, so each entry's value type is inferred from its schema. */
function envVar<T>(spec: EnvVar<T>): EnvVar<T> {
  return spec;
}

const onOff = (): z.ZodType<boolean> =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ON_WORDS.includes(v) || OFF_WORDS.includes(v), {
      message: 'expected 1/0, true/false, yes/no or on/off',
    })
    .transform((v) => ON_WORDS.includes(v));

const notRelative = (v: string): boolean => path.isAbsolute(v) || v.startsWith('~');

const absoluteDir = (): z.ZodType<string> =>
  z.string().trim().min(1).refine(notRelative, {
    message: 'must be an absolute path (MCP clients often start servers with cwd "/")',
  });

/** A separated list (commas unless told), blanks dropped. */
function list(value: string, separator = ','): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** "`a`, `b` or `c`". */
function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `\`${v}\``);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

function defaultStateDir({ env, home }: DefaultContext): string {
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

/** In the order README and --help list them. */
export const ENV_VARS = {
  TOGETHER_API_KEY: envVar({
    schema: () => z.string().trim().optional(),
    default: undefined,
    secret: true,
    format: 'string',
    help: 'Together AI API key. Without it the server runs in sandbox mode (free, local emulator); every result then says `"sandbox": true`.',
  }),
  VIDEO_MCP_OUTPUT_DIR: envVar({
    schema: absoluteDir,
    default: ({ home }) => path.join(home, 'Videos', 'together-video-mcp'),
    shownDefault: '`~/Videos/together-video-mcp`',
    flag: '--output-dir DIR',
    format: 'filepath',
    help: 'Absolute directory for downloaded videos.',
  }),
  VIDEO_MCP_STATE_DIR: envVar({
    schema: absoluteDir,
    default: defaultStateDir,
    shownDefault:
      '`~/.local/state/together-video-mcp` (or under `$XDG_STATE_HOME`; macOS `~/Library/Application Support/…`, Windows `%LOCALAPPDATA%\\…`)',
    format: 'filepath',
    help: "Absolute directory for the job ledger (`jobs.jsonl`) and the sandbox's jobs (`sandbox-jobs.jsonl`). Several server processes may share it.",
  }),
  VIDEO_MCP_DATABASE_URL: envVar({
    schema: () =>
      z
        .string()
        .trim()
        .refine((v) => /^postgres(ql)?:\/\//.test(v), {
          message: 'must be a PostgreSQL URL: postgres://user:password@host:5432/database',
        })
        .optional(),
    default: undefined,
    secret: true,
    format: 'string',
    flag: '--database-url URL',
    help: "Keep jobs, spend and the create rate limit in this PostgreSQL database instead of the state dir's ledger, so any number of replicas share them exactly (each unfinished job is watched by one replica). The schema is created at start. Its password never appears in logs, errors or `/healthz`.",
  }),
  VIDEO_MCP_WATCH_LEASE_SECONDS: envVar({
    schema: () => z.coerce.number().min(1).max(3600),
    default: 30,
    format: 'number',
    help: 'With `VIDEO_MCP_DATABASE_URL`: how long a replica holds the watch of an unfinished job without renewing it. A replica that dies has its jobs taken over by another within this time.',
  }),
  VIDEO_MCP_FFMPEG: envVar({
    schema: () => absoluteDir().optional(),
    default: undefined,
    shownDefault: '`ffmpeg` and `ffprobe` on `PATH`',
    format: 'filepath',
    help: 'The ffmpeg binary that takes frames from videos (previews, `job:<id>#last-frame`); `ffprobe` is looked for beside it. Without either, previews and frame references say how to enable them and everything else works.',
  }),
  VIDEO_MCP_INPUT_DIRS: envVar({
    schema: () =>
      z
        .string()
        .transform((v) => list(v, path.delimiter))
        .refine((dirs) => dirs.every(notRelative), {
          message: `must be absolute folders separated by "${path.delimiter}"`,
        })
        .optional(),
    // Resolved by config.ts's loadConfig: it depends on the output dir, which a flag may set.
    default: undefined,
    shownDefault: 'output dir and home; none over `--http`',
    format: 'string',
    help: 'Folders (separated by `:`; `;` on Windows) that local input files may come from. Paths elsewhere, or symlinks leading elsewhere, are refused; only regular files are read (a FIFO or device is refused). Over `--http` the callers are elsewhere, so no local file is read unless this is set.',
  }),
  VIDEO_MCP_MAX_SPEND_USD: envVar({
    schema: () =>
      z.coerce.number().positive({ message: 'must be a positive number of USD, e.g. 5' }).optional(),
    default: undefined,
    format: 'number',
    help: 'Refuse a `create_video` that would take the last 24 hours of spend (charged cost, else the registry estimate) past this many USD. Checked before anything is sent.',
  }),
  VIDEO_MCP_CONFIRM_ABOVE_USD: envVar({
    schema: () =>
      z.coerce
        .number({ error: 'must be a number of USD, 0 or more, e.g. 2' })
        .min(0, { error: 'must be a number of USD, 0 or more, e.g. 2' })
        .optional(),
    default: undefined,
    format: 'number',
    help: 'Ask the user before a `create_video` estimated above this many USD (an unknown cost counts as above): model, length, size and estimate, accept or decline. A client that cannot ask is refused until the call carries `confirm_cost_usd` equal to the estimate. `0`: ask for every video. Unset: never ask.',
  }),
  VIDEO_MCP_AUTO_DOWNLOAD: envVar({
    schema: onOff,
    default: false,
    format: 'boolean',
    help: '`1` to save every video as soon as its job completes, so an expiring URL is never the only copy.',
  }),
  VIDEO_MCP_UI: envVar({
    schema: onOff,
    default: true,
    format: 'boolean',
    help: '`0` to turn off the MCP Apps player: no `_meta.ui` on the tools, no `ui://` page, no `video-bytes://` resource. Clients without MCP Apps see the same either way.',
  }),
  VIDEO_MCP_API_URL: envVar({
    schema: () =>
      z
        .string()
        .trim()
        .refine((v) => /^https?:\/\/[^/]+/.test(v), {
          message: 'must be an http(s) origin such as https://api.together.ai',
        })
        .transform((v) => v.replace(/\/+$/, '')),
    default: DEFAULT_API_URL,
    format: 'string',
    help: 'API origin. Requests go to `/v2/videos` and `/v1/models` under it. Point it at `together-video-mcp emulator` for your own CI.',
  }),
  VIDEO_MCP_SANDBOX: envVar({
    schema: onOff,
    default: false,
    flag: '--sandbox',
    format: 'boolean',
    help: '`1` to use the sandbox even when a key is set.',
  }),
  VIDEO_MCP_SANDBOX_JOB_SECONDS: envVar({
    schema: () => z.coerce.number().min(0).max(600),
    default: 6,
    format: 'number',
    help: 'How long a sandbox video takes to "generate", in seconds.',
  }),
  VIDEO_MCP_ALLOW_UNKNOWN_MODELS: envVar({
    schema: onOff,
    default: false,
    format: 'boolean',
    help: '`1` to send model ids the registry does not know (new models) straight to Together, with only generic checks. Off: unknown ids are refused with the closest known ids.',
  }),
  VIDEO_MCP_LOG_LEVEL: envVar({
    schema: () => z.enum(LOG_LEVELS),
    default: 'info',
    flag: '--log-level LEVEL',
    format: 'string',
    help: `${oneOf(LOG_LEVELS)}. Logs are JSON lines on stderr; stdout carries only the protocol. The API key and bearer tokens are redacted.`,
  }),
  VIDEO_MCP_NO_STARTUP_TRICKS: envVar({
    schema: onOff,
    default: false,
    format: 'boolean',
    help: '`1` to start without the V8 code cache, the lazily loaded HTTP client and the memory settings for downloads (`src/bin/`): slower starts and more memory, for measuring them or ruling them out.',
  }),
  VIDEO_MCP_HTTP_TOKEN: envVar({
    schema: () =>
      z
        .string()
        .transform((v) => list(v))
        .refine((tokens) => tokens.every((t) => t.length >= 16), {
          message: 'each token must be at least 16 characters (e.g. openssl rand -hex 32)',
        }),
    default: () => [],
    shownDefault: '—',
    secret: true,
    httpOnly: true,
    format: 'string',
    help: 'bearer token(s), comma-separated, 16+ characters each. Required to listen beyond loopback. Each token sees only its own jobs.',
  }),
  VIDEO_MCP_HTTP_ALLOWED_ORIGINS: envVar({
    schema: () =>
      z
        .string()
        .transform((v) => list(v))
        .refine((origins) => origins.every((o) => /^https?:\/\/[^/]+$/.test(o)), {
          message: 'must be origins such as https://app.example.com, comma-separated',
        }),
    default: () => [],
    shownDefault: 'loopback only',
    httpOnly: true,
    format: 'string',
    help: 'browser origins allowed besides the loopback ones, comma-separated.',
  }),
  VIDEO_MCP_HTTP_ALLOWED_HOSTS: envVar({
    schema: () => z.string().transform((v) => list(v).map((h) => h.toLowerCase())),
    default: () => [],
    shownDefault: 'loopback names when bound to loopback, else any',
    httpOnly: true,
    format: 'string',
    help: '`Host` header names accepted, comma-separated (DNS-rebinding protection).',
  }),
  VIDEO_MCP_HTTP_MAX_SESSIONS: envVar({
    schema: () => z.coerce.number().int().min(1).max(100_000),
    default: 500,
    httpOnly: true,
    format: 'number',
    help: 'most sessions open at once; at the cap the longest-idle session of the token holding the most is closed.',
  }),
  VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN: envVar({
    schema: () => z.coerce.number().int().min(1).max(100_000),
    default: 100,
    httpOnly: true,
    format: 'number',
    help: "most sessions one token may hold; at the cap its own longest-idle session is closed, never another token's.",
  }),
  VIDEO_MCP_HTTP_SESSION_IDLE_MINUTES: envVar({
    schema: () => z.coerce.number().positive().max(1440), // a day
    default: 30,
    httpOnly: true,
    format: 'number',
    help: 'close a session idle this many minutes.',
  }),
  VIDEO_MCP_HTTP_MAX_BODY_MB: envVar({
    schema: () => z.coerce.number().positive().max(1024),
    default: 16,
    httpOnly: true,
    format: 'number',
    help: 'largest request body in MB; a larger one gets 413.',
  }),
  VIDEO_MCP_HTTP_CREATES_PER_MINUTE: envVar({
    schema: () => z.coerce.number().int().min(1).max(10_000),
    default: 10,
    httpOnly: true,
    format: 'number',
    help: '`create_video` calls allowed per token per minute, refused before anything is sent.',
  }),
  VIDEO_MCP_HTTP_SHUTDOWN_SECONDS: envVar({
    schema: () => z.coerce.number().min(0).max(3600),
    default: 10,
    httpOnly: true,
    format: 'number',
    help: 'on `SIGTERM`, how long in-flight calls may finish before waits hand back job ids.',
  }),
};

type Table = typeof ENV_VARS;
type EnvName = keyof Table;
export type AnyEnvVar = Table[EnvName];

/** The parsed environment: each variable's value, or its default. */
type EnvValues = { [K in EnvName]: Table[K] extends EnvVar<infer T> ? T : never };

export class ConfigError extends UserFacingError {
  override name = 'ConfigError';
}

/** Parses every variable in the table, filling in defaults; one error lists every bad variable. */
export function readEnv(env: NodeJS.ProcessEnv, ctx: DefaultContext): EnvValues {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV_VARS) as [EnvName, AnyEnvVar][]) {
    const raw = env[name];
    // Empty strings are how MCP client configs usually spell "unset".
    if (raw === undefined || raw.trim() === '') {
      values[name] = typeof spec.default === 'function' ? spec.default(ctx) : spec.default;
      continue;
    }
    const parsed = (spec.schema() as z.ZodType).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => `${name}: ${i.message}`));
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return values as EnvValues;
}

/** The variable's full text: what it means, whether only --http reads it, the flag that overrides it. */
export function describeVar(spec: AnyEnvVar): string {
  const flag = spec.flag ? ` \`${spec.flag.split(' ')[0]}\` overrides it.` : '';
  return `${spec.httpOnly ? 'HTTP only: ' : ''}${spec.help}${flag}`;
}

/** describeVar and the default, for where there is no Default column (--help, server.json). */
export function describeVarWithDefault(spec: AnyEnvVar): string {
  const shown = shownDefault(spec);
  return `${describeVar(spec)}${shown === '—' ? '' : ` Default: ${shown}.`}`;
}

/** The default as README, --help and server.json show it. */
export function shownDefault(spec: AnyEnvVar): string {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  if (spec.default === undefined) return '—';
  if (spec.default === false) return 'off';
  return `\`${String(spec.default)}\``;
}
