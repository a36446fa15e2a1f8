/**
 * Where downloaded videos may go. The file name comes from the model (an agent), so it is treated as
 * untrusted: no folders, no `..`, no absolute paths, nothing written through a symlink, and an
 * existing file is never overwritten.
 */

import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';

export class OutputPathError extends UserFacingError {
  override name = 'OutputPathError';
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** One path component on ext4, APFS, NTFS and most others. */
const MAX_NAME_BYTES = 255;
/** The longest tail chooseTarget may add to a base: "-9999" and ".webm". */
const TAIL_ROOM = '-9999.webm'.length;
const MAX_BASE_BYTES = MAX_NAME_BYTES - TAIL_ROOM;

/**
 * Bidirectional controls make a name display differently from what it is (`\u202Eevil.gpj.mp4` shows
 * as "evil.mp4.jpg"), so they are refused rather than stripped: the caller should know.
 */
const BIDI_CONTROLS: Record<string, string> = {
  '\u061C': 'ARABIC LETTER MARK',
  '\u200E': 'LEFT-TO-RIGHT MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u202A': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'POP DIRECTIONAL FORMATTING',
  '\u202D': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
};

function refuseBidi(name: string): void {
  const found = [...name].find((c) => c in BIDI_CONTROLS);
  if (found === undefined) return;
  const code = `U+${found.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
  throw new OutputPathError(
    `filename contains ${code} (${BIDI_CONTROLS[found]}), a bidirectional control that makes a name display differently from what it is; remove it (controls U+061C, U+200E, U+200F, U+202A-U+202E and U+2066-U+2069 are refused).`,
  );
}

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
  refuseBidi(trimmed);
  let base = trimmed
    .replace(/\.(mp4|webm|mov|mkv|m4v)$/i, '')
    .replace(/[\p{Cc}<>:"|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (RESERVED.test(base)) base = `${base}-video`;
  if (!base) {
    throw new OutputPathError(
      `filename "${name}" has no usable characters; use letters, digits, "-" or "_".`,
    );
  }
  const bytes = Buffer.byteLength(base);
  if (bytes > MAX_BASE_BYTES) {
    throw new OutputPathError(
      `filename is ${bytes} bytes in UTF-8 (emoji and many letters take 2 to 4 bytes each); a name may be at most ${MAX_BASE_BYTES} bytes before its extension (${MAX_NAME_BYTES} per file name, with room for "-9999.webm"). Use a shorter name.`,
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
