/** Shared pieces for the emulator's own tests: start/stop, a hand-driven clock, plain HTTP calls, ffprobe. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/sandbox/emulator.js';

const run = promisify(execFile);

export const KEY = 'emu-test-key-0123';
export const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
export type Json = Record<string, unknown>;

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** An emulator that the current test file closes after each test; `keyed: false` accepts any bearer. */
export async function emulator(options: EmulatorOptions = {}, keyed = true): Promise<Emulator> {
  const e = await startEmulator({ ...(keyed ? { apiKey: KEY } : {}), jobDurationMs: 300, ...options });
  running.push(e);
  return e;
}

/** Time that moves only when the test says so: statuses and URL expiry become exact. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): {
  now: () => number;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export function create(
  e: Emulator,
  body: unknown = { model: 'google/veo-3.0', prompt: 'a cat' },
): Promise<Response> {
  return fetch(`${e.url}/v2/videos`, {
    method: 'POST',
    headers: AUTH,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function createdId(e: Emulator, body?: unknown): Promise<string> {
  const res = await create(e, body);
  if (res.status !== 200) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return String(((await res.json()) as Json).id);
}

export async function getJob(e: Emulator, id: string): Promise<Json> {
  const res = await fetch(`${e.url}/v2/videos/${id}`, { headers: AUTH });
  if (res.status !== 200) throw new Error(`retrieve answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Json;
}

/** Polls in real time until the job is finished; returns every status seen, in order. */
export async function pollToEnd(
  e: Emulator,
  id: string,
  everyMs = 15,
): Promise<{ seen: string[]; job: Json }> {
  const seen: string[] = [];
  for (let i = 0; i < 400; i++) {
    const job = await getJob(e, id);
    const status = String(job.status);
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'completed' || status === 'failed') return { seen, job };
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`job ${id} never finished; saw ${seen.join(' -> ')}`);
}

export function videoUrlOf(job: Json): string {
  const outputs = job.outputs as { video_url?: unknown } | null | undefined;
  if (typeof outputs?.video_url !== 'string') throw new Error(`no video_url in ${JSON.stringify(job)}`);
  return outputs.video_url;
}

/** Follows the short link by hand and returns where it points. */
export async function fileUrlOf(shortUrl: string): Promise<string> {
  const res = await fetch(shortUrl, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`short link answered ${res.status}`);
  return new URL(res.headers.get('location') ?? '', shortUrl).href;
}

export interface Probe {
  format_name: string;
  duration: number;
  codec: string;
}

let ffprobeMissing: boolean | undefined;

/** ffprobe's view of a file, or undefined when ffprobe is not installed (the caller says so and skips). */
export async function probe(file: string): Promise<Probe | undefined> {
  if (ffprobeMissing) return undefined;
  try {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=format_name,duration:stream=codec_name',
      '-of',
      'json',
      file,
    ]);
    const info = JSON.parse(stdout) as {
      format: { format_name: string; duration: string };
      streams: { codec_name: string }[];
    };
    return {
      format_name: info.format.format_name,
      duration: Number(info.format.duration),
      codec: info.streams[0]?.codec_name ?? '',
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      ffprobeMissing = true;
      process.stderr.write('ffprobe is not installed: skipping the "is it a playable video" assertions\n');
      return undefined;
    }
    throw error;
  }
}

export interface Element {
  type: string;
  start: number;
  end: number;
}

/** Top-level MP4 boxes (32- and 64-bit sizes): a padded file must still tile exactly into boxes. */
export function mp4Boxes(buf: Buffer): Element[] {
  const out: Element[] = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const small = buf.readUInt32BE(at);
    const size = small === 1 ? Number(buf.readBigUInt64BE(at + 8)) : small;
    if (size < 8) throw new Error(`bad box size ${size} at ${at}`);
    out.push({ type: buf.toString('latin1', at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return out;
}

function vint(buf: Buffer, at: number, keepMarker: boolean): { value: number; width: number } {
  const first = buf[at] ?? 0;
  const width = first === 0 ? 9 : 8 - Math.floor(Math.log2(first));
  if (width > 8) throw new Error(`bad EBML VINT at ${at}`);
  let value = keepMarker ? first : first & (0xff >> width);
  for (let i = 1; i < width; i++) value = value * 256 + (buf[at + i] ?? 0);
  return { value, width };
}

/** Top-level EBML elements (EBML header, Segment, Void...): a padded WebM must tile exactly too. */
export function ebmlElements(buf: Buffer): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < buf.length; ) {
    const id = vint(buf, at, true);
    const size = vint(buf, at + id.width, false);
    const end = at + id.width + size.width + size.value;
    out.push({ type: id.value.toString(16), start: at, end });
    at = end;
  }
  return out;
}
