/**
 * One cell of issue 12's matrix (protocol era x transport x sandbox/emulator): the same walk through
 * every tool, the job resource, the prompts and their completion, whichever client drives it. The
 * 2025-era client is the v1 SDK's, the 2026-07-28 one the v2 client (modern-client.ts); `fromV1` and
 * `fromV2` hide only their call signatures, never what goes over the wire.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client as V2Client } from '@modelcontextprotocol/client';
import type { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import { MODERN } from './modern-client.js';
import { probeVideo } from './probe-video.js';
import { type ListeningBin, spawnEmulatorBin } from './spawn-bin.mjs';

interface Progress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

interface CallOptions {
  onprogress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface ToolResult {
  isError?: boolean | undefined;
  content: unknown[];
  structuredContent?: unknown;
}

interface PromptResult {
  messages: { content: { type: string; text?: string } }[];
}

/** What the cell needs of a client, with the era it speaks. */
export interface EraClient {
  era: '2025' | typeof MODERN;
  call(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<ToolResult>;
  toolNames(): Promise<string[]>;
  readResource(uri: string): Promise<{ contents: unknown[] }>;
  promptNames(): Promise<string[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<PromptResult>;
  completeModel(prompt: string, typed: string): Promise<string[]>;
  /** Progress notifications that arrived after their call's result (see lateProgress), since the last take. */
  takeLateProgress(): Progress[];
  close(): Promise<void>;
}

/**
 * Both SDK clients handle a response at once but a progress notification a microtask later, and drop
 * the progress handler with the response: when the last notifications and the result arrive in one
 * read (a loaded machine), those notifications reach only `onerror`, as "unknown token". The server
 * sent them, in order, before the result; this keeps them so a test sees everything it sent.
 */
function lateProgress(client: { onerror?: ((error: Error) => void) | undefined }): () => Progress[] {
  let late: Progress[] = [];
  client.onerror = (error) => {
    const json = /progress notification for an unknown token: (.*)$/s.exec(error.message)?.[1];
    if (json) late.push((JSON.parse(json) as { params: Progress }).params);
  };
  return () => {
    const taken = late;
    late = [];
    return taken;
  };
}

const CALL_TIMEOUT_MS = 60_000;

/** The v1 SDK client: callTool(params, resultSchema, options). */
/** What both clients do alike (their callTool signatures differ). */
function sameInBothEras(client: V1Client | V2Client): Omit<EraClient, 'era' | 'call'> {
  return {
    takeLateProgress: lateProgress(client),
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
    readResource: (uri) => client.readResource({ uri }),
    promptNames: async () => (await client.listPrompts()).prompts.map((p) => p.name),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }) as Promise<PromptResult>,
    completeModel: async (prompt, value) =>
      (
        await client.complete({
          ref: { type: 'ref/prompt', name: prompt },
          argument: { name: 'model', value },
        })
      ).completion.values,
    close: () => client.close(),
  };
}

export function fromV1(client: V1Client): EraClient {
  return {
    ...sameInBothEras(client),
    era: '2025',
    call: async (name, args, options = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, {
        timeout: CALL_TIMEOUT_MS,
        ...options,
      })) as ToolResult,
  };
}

/** The v2 client: callTool(params, options), no middle argument. */
export function fromV2(client: V2Client): EraClient {
  return {
    ...sameInBothEras(client),
    era: MODERN,
    call: (name, args, options = {}) =>
      client.callTool(
        { name, arguments: args },
        { timeout: CALL_TIMEOUT_MS, ...options },
      ) as Promise<ToolResult>,
  };
}

function textOf(result: ToolResult): string {
  return result.content
    .map((c) => (typeof c === 'object' && c !== null && 'text' in c ? String(c.text) : ''))
    .join('\n');
}

/** The structured result of a call that must have succeeded (the error text when it did not). */
export function structured<T>(result: ToolResult): T {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
}

const FAST = 'minimax/hailuo-02';
const TOOLS = [
  'create_video',
  'download_video',
  'get_video_status',
  'list_video_jobs',
  'list_video_models',
  'preview_video',
];

/**
 * Faults for a standalone emulator, each consumed by one step of the walk: a 429 on the paid POST
 * (provably not accepted, so retried), 503s while polling, a download cut short (resumed with Range).
 */
const CELL_FAULTS = [
  { route: 'create', kind: 'status', status: 429, retryAfterSeconds: 0, times: 1 },
  { route: 'retrieve', kind: 'status', status: 503, times: 2 },
  { route: 'download', kind: 'truncate', afterBytes: 5_000, times: 1 },
];

/** Where a cell's server sends its API calls, and the env that points it there. */
export interface CellBackend extends CellOptions {
  env: Record<string, string>;
  /** After the walk: every fault was met (none left over), and the 429'd create was sent again once. */
  checkFaultsMet(): Promise<void>;
  dispose(): Promise<void>;
}

const EMULATOR_KEY = 'eras-key-0123456789';

/**
 * `sandbox`: no key, so the server runs its own emulator (jobs of 1.5 s). Otherwise a standalone
 * emulator bin with CELL_FAULTS switched on (jobs of 1 s), and the key and URL that reach it.
 */
export async function startBackend(sandbox: boolean): Promise<CellBackend> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-eras-'));
  const env = {
    HOME: home,
    VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
    VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
  };
  if (sandbox)
    return {
      sandbox,
      env: { ...env, VIDEO_MCP_SANDBOX_JOB_SECONDS: '1.5' },
      checkFaultsMet: async () => {},
      dispose: () => rm(home, { recursive: true, force: true }),
    };
  const emulator: ListeningBin = await spawnEmulatorBin(EMULATOR_KEY, ['--job-seconds', '1']);
  const set = await fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    body: JSON.stringify(CELL_FAULTS),
  });
  expect(set.status).toBe(200);
  return {
    sandbox,
    emulatorUrl: emulator.url,
    env: { ...env, TOGETHER_API_KEY: EMULATOR_KEY, VIDEO_MCP_API_URL: emulator.url },
    async checkFaultsMet() {
      expect(await (await fetch(`${emulator.url}/__emulator/faults`)).json()).toEqual([]);
      expect(await emulatorCreates(emulator.url)).toBe(2);
    },
    async dispose() {
      await emulator.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface CellOptions {
  /** The in-process sandbox (true) or an API key for a standalone emulator (false). */
  sandbox: boolean;
  /** The standalone emulator's URL, whose control plane counts the creates that reached it. */
  emulatorUrl?: string;
}

async function emulatorCreates(url: string): Promise<number> {
  const seen = (await (await fetch(`${url}/__emulator/requests`)).json()) as { route: string }[];
  return seen.filter((r) => r.route === 'create').length;
}

async function jobCount(c: EraClient): Promise<number> {
  return structured<{ jobs: unknown[] }>(await c.call('list_video_jobs', {})).jobs.length;
}

/** Creates, watches, saves, lists and reads one job, then the prompts and a refused input. */
export async function walkEveryTool(c: EraClient, options: CellOptions): Promise<void> {
  expect((await c.toolNames()).sort()).toEqual(TOOLS);

  const models = structured<{ models: { id: string }[] }>(
    await c.call('list_video_models', { organization: 'MiniMax' }),
  );
  expect(models.models.map((m) => m.id)).toContain(FAST);

  const onTime: Progress[] = [];
  c.takeLateProgress();
  const created = structured<{ job_id: string; status: string; sandbox: boolean }>(
    await c.call(
      'create_video',
      { model: FAST, prompt: `a lighthouse (${c.era})`, wait_seconds: 45 },
      { onprogress: (p) => onTime.push(p) },
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const progress = [...onTime, ...c.takeLateProgress()];
  expect(created).toMatchObject({ status: 'completed', sandbox: options.sandbox });
  const values = progress.map((p) => p.progress);
  expect(values.length, 'progress notifications').toBeGreaterThan(1);
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] ?? Number.NaN);
  expect(values.at(-1), 'the last progress is the total').toBe(progress.at(-1)?.total);

  const status = structured<{ status: string; model: string }>(
    await c.call('get_video_status', { job_id: created.job_id }),
  );
  expect(status).toMatchObject({ status: 'completed', model: FAST });

  const saving: Progress[] = [];
  const saved = structured<{ path: string; bytes: number; sha256: string; resumed?: number }>(
    await c.call('download_video', { job_id: created.job_id }, { onprogress: (p) => saving.push(p) }),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  saving.push(...c.takeLateProgress());
  expect(saving.map((p) => p.message).at(-1)).toMatch(/^downloaded [\d.]+ (KB|bytes) of [\d.]+ (KB|bytes)$/);
  const bytes = await readFile(saved.path);
  expect(bytes.length).toBe(saved.bytes);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(saved.sha256);
  expect((await probeVideo(saved.path)).duration).toBeGreaterThan(0);
  // The emulator cut the first download short (CELL_FAULTS): the file is whole because it resumed.
  if (!options.sandbox) expect(saved.resumed).toBeGreaterThanOrEqual(1);

  // The preview alone: an image and a line, no structuredContent (preview_video.ts says why).
  const preview = await c.call('preview_video', { job_id: created.job_id });
  expect(preview.isError).toBeFalsy();
  expect(preview.structuredContent).toBeUndefined();
  expect((preview.content as { type: string }[]).map((part) => part.type)).toEqual(['image', 'text']);

  const jobs = structured<{ jobs: { job_id: string; file_path?: string }[] }>(
    await c.call('list_video_jobs', {}),
  );
  expect(jobs.jobs[0]).toMatchObject({ job_id: created.job_id, file_path: saved.path });

  const resource = await c.readResource(`video-job://${created.job_id}`);
  const content = resource.contents[0] as { text?: string } | undefined;
  expect(JSON.parse(content?.text ?? '{}')).toMatchObject({ key: created.job_id, status: 'completed' });
  const missing = 'video-job://no-such-job';
  await expect(c.readResource(missing)).rejects.toMatchObject({ code: -32602, data: { uri: missing } });

  expect((await c.promptNames()).sort()).toEqual(['pick_model', 'storyboard']);
  const storyboard = await c.getPrompt('storyboard', { idea: 'a fox in snow', model: 'google/veo-3.0' });
  expect(storyboard.messages.map((m) => m.content.text ?? '').join('\n')).toMatch(
    /google\/veo-3\.0 makes 8-second clips/,
  );
  expect(await c.completeModel('storyboard', 'veo-3')).toContain('google/veo-3.0');
  expect(await c.completeModel('storyboard', 'zzz')).toEqual([]);

  await refusesBadInput(c, options);
}

/** Refused with the field named and the allowed values, before anything reaches the API. */
async function refusesBadInput(c: EraClient, options: CellOptions): Promise<void> {
  const jobsBefore = await jobCount(c);
  const createsBefore = options.emulatorUrl ? await emulatorCreates(options.emulatorUrl) : 0;
  const badSeconds = await c.call('create_video', { model: 'google/veo-3.0', prompt: 'a cat', seconds: 99 });
  expect(badSeconds.isError).toBe(true);
  expect(textOf(badSeconds)).toMatch(/seconds/);
  expect(textOf(badSeconds)).toMatch(/8/);
  const misnamed = await c.call('create_video', { model: FAST, prompt: 'a cat', duration: 6 });
  expect(misnamed.isError).toBe(true);
  expect(textOf(misnamed)).toMatch(/duration/);
  expect(textOf(misnamed)).toMatch(/seconds/);
  expect(await jobCount(c), 'a refused create is not in the ledger').toBe(jobsBefore);
  if (options.emulatorUrl) expect(await emulatorCreates(options.emulatorUrl)).toBe(createsBefore);
}

async function until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Aborts a create_video wait at its first progress notification: the call rejects, the server logs
 * the cancellation as an ordinary event, and the job stays in the ledger and can be watched to the end.
 * Needs jobs that take a few seconds, so the abort lands mid-wait.
 */
export async function cancelThenWatch(c: EraClient, serverStderr: () => string): Promise<void> {
  const controller = new AbortController();
  let firstProgress: () => void = () => {};
  const waiting = new Promise<void>((resolve) => {
    firstProgress = resolve;
  });
  const pending = c.call(
    'create_video',
    { model: FAST, prompt: `cancel me (${c.era})`, wait_seconds: 60 },
    { signal: controller.signal, onprogress: () => firstProgress() },
  );
  await waiting;
  controller.abort();
  await expect(pending).rejects.toThrow(/abort/i);
  await until(() => /tool call (cancelled|crashed)/.test(serverStderr()), 'the server to end the call');
  expect(serverStderr()).toContain('"msg":"tool call cancelled"');
  expect(serverStderr()).not.toContain('tool call crashed');

  const jobs = structured<{ jobs: { job_id: string; status: string; model: string }[] }>(
    await c.call('list_video_jobs', {}),
  );
  expect(jobs.jobs).toHaveLength(1);
  const job = jobs.jobs[0];
  expect(job).toMatchObject({ model: FAST });
  // Still running, unless a loaded machine let it finish since the abort: kept either way, not failed.
  expect(['queued', 'in_progress', 'completed']).toContain(job?.status);
  const watched = structured<{ status: string }>(
    await c.call('get_video_status', { job_id: job?.job_id, wait_seconds: 30 }),
  );
  expect(watched.status).toBe('completed');
}
