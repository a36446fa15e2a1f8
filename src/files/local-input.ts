/**
 * Reading a local file an agent names as a media input. Only regular files inside the allowed
 * folders are read: the path is resolved (symlinks included) and checked against the folders, then
 * opened without following a final link and without blocking on a FIFO, checked on the open handle
 * (so nothing can be swapped in between), and read from that handle under a time limit.
 * A remote (HTTP) caller learns nothing about files outside the folders, not even whether they exist.
 */
import { type FileHandle, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O_RDONLY, openRegular, UnsafeFileError } from './safe-open.js';

export interface LocalInputContext {
  /** Directories local files may come from. */
  inputDirs: readonly string[];
  home: string;
  /** The caller reached us over HTTP: it is not on this machine and must not map its files. */
  remote: boolean;
}

/** A local disk answers in milliseconds; this bounds a stuck network mount. */
const READ_TIME_LIMIT_MS = 30_000;
const CHUNK = 1024 * 1024;

export const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export function isLocalRef(ref: string): boolean {
  return path.isAbsolute(ref) || ref.startsWith('~/') || ref.startsWith('file:');
}

/** The absolute path a reference names, or why it names none. */
function toAbsolute(ref: string, home: string): { path: string } | { error: string } {
  if (ref.startsWith('~/')) return { path: path.join(home, ref.slice(2)) };
  if (!ref.startsWith('file:')) return { path: ref };
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return { error: 'is not a valid file: URL; use file:///absolute/path or a plain absolute path.' };
  }
  // The URL parser already turns file://localhost/ into an empty host.
  if (url.host !== '') {
    return {
      error: `names the host "${url.host}", but only this machine's files can be read: use file:///absolute/path (or file://localhost/absolute/path).`,
    };
  }
  try {
    return { path: fileURLToPath(url) };
  } catch (error) {
    return {
      error: `is not a usable file: URL (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}

async function inside(file: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const real = await realpath(root).catch(() => undefined);
    if (real && (file === real || file.startsWith(`${real}${path.sep}`))) return true;
  }
  return false;
}

/** One answer for a missing file and a file outside the folders, naming no server path. */
function notReadableRemotely(absolute: string, ctx: LocalInputContext): string {
  const folders = ctx.inputDirs.length === 0 ? ' (none are set on this server)' : '';
  return `${absolute} is not a file this server may read. Over HTTP only files inside the folders set in VIDEO_MCP_INPUT_DIRS are read${folders}; pass an https URL or a data: URI instead.`;
}

/** Reads at most `limit` + 1 bytes, so a file that grew after its size was checked is still caught. */
async function readBounded(handle: FileHandle, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= limit) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK), 0, CHUNK, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

function withTimeLimit<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export interface ReadLimits {
  /** The most this input may be, and what it is called in the message ("image inputs"). */
  max: number;
  kind: string;
  /** Claims `size` bytes of the request's budget before anything is read, or says why not. */
  claim(size: number): string | undefined;
}

/** The bytes of the local file `ref` names, or a message saying why it cannot be read. */
export async function readLocalInput(
  ref: string,
  limits: ReadLimits,
  ctx: LocalInputContext,
): Promise<{ bytes: Buffer } | { error: string }> {
  const target = toAbsolute(ref, ctx.home);
  if ('error' in target) return target;
  const absolute = target.path;
  const real = await realpath(absolute).catch(() => undefined);
  if (!real) return { error: ctx.remote ? notReadableRemotely(absolute, ctx) : `no file at ${absolute}.` };
  if (!(await inside(real, ctx.inputDirs))) {
    if (ctx.remote) return { error: notReadableRemotely(absolute, ctx) };
    const folders = ctx.inputDirs.length > 0 ? ctx.inputDirs.join(', ') : 'none are set';
    return {
      error: `${absolute} is outside the allowed input folders (${folders}); set VIDEO_MCP_INPUT_DIRS to allow another.`,
    };
  }
  let opened: Awaited<ReturnType<typeof openRegular>>;
  try {
    opened = await openRegular(real, O_RDONLY);
  } catch (error) {
    if (error instanceof UnsafeFileError) return { error: `${error.message}; only regular files are read.` };
    return { error: `${absolute} could not be opened (${(error as NodeJS.ErrnoException).code ?? error}).` };
  }
  const { handle, size } = opened;
  const refusal =
    size > limits.max
      ? `${absolute} is ${mb(size)}; ${limits.kind} inputs may be at most ${mb(limits.max)}.`
      : limits.claim(size);
  if (refusal) {
    await handle.close();
    return { error: refusal };
  }
  const reading = readBounded(handle, limits.max)
    .then(
      (bytes) => ({ bytes }),
      (error: unknown) => ({
        error: `${absolute} could not be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
      }),
    )
    // Closed once the read is over, even a read that outlived the time limit.
    .finally(() => handle.close().catch(() => {}));
  const result = await withTimeLimit(reading, READ_TIME_LIMIT_MS);
  if (result === 'timeout')
    return {
      error: `${absolute} could not be read within ${READ_TIME_LIMIT_MS / 1000} s; copy it to a local disk.`,
    };
  return result;
}
