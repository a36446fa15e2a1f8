/**
 * The only place that writes diagnostics. stdout belongs to the MCP protocol, so everything goes to
 * stderr, one JSON object per line, with secrets redacted before they are written.
 */
/** From most to least verbose: a level shows itself and everything after it; `silent` shows nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  write?: (line: string) => void;
  /** Exact strings (API key, HTTP token) to scrub wherever they appear. */
  secrets?: readonly string[];
}

const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const SECRET_KEYS = /^(authorization|api[_-]?key|token|x-api-key|cookie)$/i;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(BEARER, '$1[redacted]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause ? { cause: serialise(value.cause) } : {}),
    };
  }
  return value;
}

export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const secrets = options.secrets ?? [];
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...base };
    for (const [key, value] of Object.entries(fields ?? {})) {
      record[key] = SECRET_KEYS.test(key) ? '[redacted]' : serialise(value);
    }
    write(`${redact(JSON.stringify(record), secrets)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
