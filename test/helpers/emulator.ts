/** Shared pieces for the emulator's own tests: start/stop, a hand-driven clock, plain HTTP calls. */
import { afterEach } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/sandbox/emulator.js';

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
