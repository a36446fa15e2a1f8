/**
 * Where downloaded videos may go. The file name comes from the model (an agent), so it is treated as
 * untrusted: no folders, no `..`, no absolute paths, nothing written through a symlink, and an
 * existing file is never overwritten.
 */

import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';

export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_BASE = 120;

/** Refuses names that try to leave the output dir; cleans the rest into a portable file name. */
export function sanitiseFilename(name: string, ext: 'mp4' | 'webm', outputDir: string): string {
  const trimmed = name.trim();
  if (
    path.isAbsolute(trimmed) ||
    /^[a-zA-Z]:/.test(trimmed) ||
    /[\\/]/.test(trimmed) ||
    trimmed.split('.').every((p) => p === '')
  ) {
    throw new OutputPathError(
      `filename "${name}" must be a plain file name: no folders, no "..", no absolute path. Files are always saved in ${outputDir} (set VIDEO_MCP_OUTPUT_DIR to change it).`,
    );
  }
  let base = trimmed
    .replace(/\.(mp4|webm|mov|mkv|m4v)$/i, '')
    .replace(/[\p{Cc}<>:"|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (RESERVED.test(base)) base = `${base}-video`;
  base = [...base].slice(0, MAX_BASE).join('');
  if (!base) {
    throw new OutputPathError(
      `filename "${name}" has no usable characters; use letters, digits, "-" or "_".`,
    );
  }
  return `${base}.${ext}`;
}

/** Creates the output dir if needed and returns its real path, with a clear error if it cannot be used. */
export async function prepareOutputDir(outputDir: string): Promise<string> {
  try {
    await mkdir(outputDir, { recursive: true, mode: 0o755 });
    return await realpath(outputDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new OutputPathError(
      `Cannot use the output directory ${outputDir} (${code}). Set VIDEO_MCP_OUTPUT_DIR to a writable absolute directory.`,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * The final path for a video inside `realDir`: the wanted name, or name-1, name-2 ... when taken.
 * A symlink under the wanted name is refused rather than followed or replaced.
 */
export async function chooseTarget(realDir: string, fileName: string): Promise<string> {
  const wanted = path.join(realDir, fileName);
  if (path.dirname(wanted) !== realDir) throw new OutputPathError(`"${fileName}" would leave ${realDir}.`);
  const stat = await lstat(wanted).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    const target = await realpath(wanted).catch(() => 'a missing target');
    throw new OutputPathError(`Refused: ${wanted} is a symlink (to ${target}); choose another filename.`);
  }
  const ext = path.extname(fileName);
  const base = fileName.slice(0, -ext.length);
  for (let n = 0; n < 10_000; n++) {
    const candidate = n === 0 ? wanted : path.join(realDir, `${base}-${n}${ext}`);
    if (!(await exists(candidate))) return candidate;
  }
  throw new OutputPathError(`Too many files named ${fileName} in ${realDir}.`);
}
