/**
 * Lenient parsing of Together's wire formats. The spec and the docs disagree (unix vs ISO
 * timestamps, `error{}` vs `info.errors[]`, full job vs bare `{id}` from create, extra statuses), so
 * this accepts both, ignores unknown keys, and only insists on what it cannot work without: the id.
 */
import { ProtocolError } from './errors.js';
import type { VideoJob, VideoJobError } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Unix seconds (spec), unix milliseconds, or an ISO string (docs); the Go zero time means "not yet". */
export function parseTimestamp(v: unknown): Date | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return new Date(v < 1e12 ? v * 1000 : v);
  const s = str(v);
  if (!s || s.startsWith('0001-01-01')) return undefined;
  const asNumber = Number(s);
  if (Number.isFinite(asNumber)) return parseTimestamp(asNumber);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function normaliseStatus(v: unknown): string {
  const s = str(v)?.trim().toLowerCase();
  if (!s) return 'unknown';
  return s === 'canceled' ? 'cancelled' : s;
}

function errorOf(body: Obj): VideoJobError | undefined {
  const direct = body.error;
  if (isObj(direct) && str(direct.message)) {
    const code = str(direct.code) ?? str(direct.type);
    return code ? { message: String(direct.message), code } : { message: String(direct.message) };
  }
  if (str(direct)) return { message: String(direct) };
  const info = body.info;
  if (isObj(info) && Array.isArray(info.errors)) {
    const first: unknown = info.errors.find((e: unknown) => isObj(e) && str(e.message));
    if (isObj(first)) {
      const code = str(first.code);
      return code ? { message: String(first.message), code } : { message: String(first.message) };
    }
  }
  return undefined;
}

export function parseJob(body: unknown): VideoJob {
  if (!isObj(body)) throw new ProtocolError('Together returned a video job that is not a JSON object.');
  const id = str(body.id) ?? str(body.request_id);
  if (!id) throw new ProtocolError('Together returned a video job without an "id".');
  const job: VideoJob = { id, status: normaliseStatus(body.status ?? 'queued') };
  const model = str(body.model) ?? (isObj(body.inputs) ? str(body.inputs.model) : undefined);
  if (model) job.model = model;
  const created = parseTimestamp(body.created_at);
  if (created) job.createdAt = created;
  const completed = parseTimestamp(body.completed_at) ?? parseTimestamp(body.done_at);
  if (completed) job.completedAt = completed;
  const size = str(body.size);
  if (size) job.size = size;
  const seconds = str(body.seconds) ?? (typeof body.seconds === 'number' ? String(body.seconds) : undefined);
  if (seconds) job.seconds = seconds;
  if (isObj(body.outputs)) {
    const url = str(body.outputs.video_url);
    if (url) job.videoUrl = url;
    const cost = num(body.outputs.cost);
    if (cost !== undefined) job.cost = cost;
  }
  const error = errorOf(body);
  if (error) job.error = error;
  // A reported error with no status is a failure, whatever else the body says.
  if (error && job.status === 'unknown') job.status = 'failed';
  return job;
}

/** Message and code from an error body, whichever of the known shapes it has. */
export function parseErrorBody(text: string): { message?: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const trimmed = text.trim().replace(/\s+/g, ' ').slice(0, 500);
    return trimmed ? { message: trimmed } : {};
  }
  if (!isObj(body)) return {};
  const inner = isObj(body.error) ? body.error : undefined;
  const message = str(inner?.message) ?? str(body.error) ?? str(body.message);
  const code =
    str(inner?.code) ?? str(inner?.type) ?? str(body.code) ?? str(body.error_type) ?? str(body.type);
  return { ...(message ? { message: message.slice(0, 500) } : {}), ...(code ? { code } : {}) };
}
