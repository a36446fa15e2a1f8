/**
 * One ledger record as bytes: `\n` + a JSON object whose last field is a CRC-32 of the object
 * written before it. The checksum lets a reader tell a whole record from a torn, spliced or garbled
 * one (a stray byte inside a string would otherwise read as a different, invented record), and every
 * record is validated field by field before it is folded in. Version 1 records (no checksum) are
 * still read, checked the same way.
 */
import { crc32 } from 'node:zlib';
import type { JobPatch, JobRecord } from './ledger.js';

export interface LedgerEntry {
  key: string;
  /** When the record was written (ISO time). */
  at: string;
  replaces?: string;
  fields: Partial<JobRecord> & Record<string, unknown>;
}

export type Decoded = { ok: true; entry: LedgerEntry } | { ok: false; reason: string };

const VERSION = 2;
const CRC_MARK = Buffer.from(',"crc":"');
/** `,"crc":"` + 8 hex digits + `"}` */
const CRC_TAIL = CRC_MARK.length + 8 + 2;
const CLOSE = Buffer.from('}');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

export function encodeEntry(key: string, at: string, patch: JobPatch): Buffer {
  const body = JSON.stringify({ v: VERSION, key, at, ...patch });
  return Buffer.from(`\n${body.slice(0, -1)},"crc":"${hex(crc32(body))}"}`);
}

/** The checksum covers the object as it was before `,"crc":"…"` was spliced in before its `}`. */
function checksumMatches(line: Buffer): boolean {
  if (line.length <= CRC_TAIL) return false;
  const tail = line.length - CRC_TAIL;
  if (!line.subarray(tail, tail + CRC_MARK.length).equals(CRC_MARK)) return false;
  const stored = line.subarray(line.length - 10, line.length - 2).toString('latin1');
  return stored === hex(crc32(CLOSE, crc32(line.subarray(0, tail))));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isString = (value: unknown): boolean => typeof value === 'string';
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isTime = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isError = (value: unknown): boolean =>
  isObject(value) && isString(value.message) && (value.code === undefined || isString(value.code));

/** The type each known field must have; fields added by newer versions pass through unchecked. */
const FIELD_CHECKS: { [Field in keyof JobRecord]?: (value: unknown) => boolean } = {
  job_id: isString,
  status: isString,
  model: isString,
  params: isObject,
  estimated_cost_usd: isNumber,
  cost: isNumber,
  video_url: isString,
  error: isError,
  sandbox: (value) => typeof value === 'boolean',
  owner: isString,
  created_at: isTime,
  completed_at: isString,
  file_path: isString,
  sha256: isString,
  bytes: isNumber,
  downloaded_at: isString,
};

/** A line's bytes (without its newline) as a record, or why it is not one. */
export function decodeLine(line: Buffer): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(line));
  } catch {
    return { ok: false, reason: 'not valid UTF-8 JSON (cut short or damaged)' };
  }
  if (!isObject(value)) return { ok: false, reason: 'JSON that is not a record object' };
  const { v, key, at, replaces, crc: _crc, updated_at: _updated, ...fields } = value;
  if (v === VERSION) {
    if (!checksumMatches(line)) return { ok: false, reason: 'checksum does not match (damaged)' };
  } else if (v !== 1) {
    return { ok: false, reason: `unknown record version ${JSON.stringify(v)}` };
  }
  if (typeof key !== 'string' || !key) return { ok: false, reason: 'no key' };
  if (typeof at !== 'string' || !isTime(at)) return { ok: false, reason: 'no valid time' };
  if (replaces !== undefined && typeof replaces !== 'string')
    return { ok: false, reason: 'replaces is not a string' };
  for (const [field, check] of Object.entries(FIELD_CHECKS)) {
    if (fields[field] !== undefined && !check(fields[field]))
      return { ok: false, reason: `${field} has the wrong type` };
  }
  return {
    ok: true,
    entry: { key, at, ...(replaces !== undefined ? { replaces } : {}), fields },
  };
}
