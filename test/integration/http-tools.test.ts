/**
 * Every tool over real Streamable HTTP (SDK Client + StreamableHTTPClientTransport, SSE progress),
 * in both session modes, with per-token job visibility, the create rate limit, cancellation,
 * client disconnects, idle expiry, the session cap and graceful shutdown.
 */
import { existsSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { creates, structured, textOf } from '../helpers/harness.js';
import {
  type Era,
  type EraClient,
  type HttpHarness,
  rawRequest,
  startHttpHarness,
  TOKEN_A,
  TOKEN_B,
} from '../helpers/http-harness.js';

const FAST = 'minimax/hailuo-02';
const SLOW = 'google/veo-3.0';
const slowEmulator = { durationFor: (model: string) => (model === SLOW ? 20_000 : 600) };

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client['callTool']>[2] = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

/** A slow create_video under way: resolves `waiting` once its first progress notification arrives. */
function startSlowCreate(
  client: Client | EraClient,
  prompt: string,
  signal?: AbortSignal,
): { pending: Promise<CallToolResult>; waiting: Promise<void> } {
  let firstProgress: () => void = () => {};
  const waiting = new Promise<void>((resolve) => {
    firstProgress = resolve;
  });
  const args = { model: SLOW, prompt, wait_seconds: 60 };
  const options = { ...(signal ? { signal } : {}), onprogress: () => firstProgress() };
  const pending =
    'call' in client
      ? client.call('create_video', args, options)
      : call(client, 'create_video', args, options);
  return { pending, waiting };
}

let h: HttpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SERVINGS: { era: Era; stateless: boolean }[] = [
  { era: '2025', stateless: false },
  { era: '2025', stateless: true },
  { era: '2026', stateless: false },
];

describe.each(SERVINGS)('HTTP tools ($era requests, stateless: $stateless)', ({ era, stateless }) => {
  it('runs every tool, with progress over SSE, and reads the job as a resource', async () => {
    h = await startHttpHarness({ stateless });
    const client = await h.connectAs(era);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual([
      'create_video',
      'download_video',
      'get_video_status',
      'list_video_jobs',
      'list_video_models',
      'preview_video',
    ]);
    const models = structured<{ models: { id: string }[] }>(
      await client.call('list_video_models', { organization: 'MiniMax' }),
    );
    expect(models.models.map((m) => m.id)).toContain(FAST);

    const progress: number[] = [];
    const created = structured<{ job_id: string; status: string }>(
      await client.call(
        'create_video',
        { model: FAST, prompt: 'a lighthouse', wait_seconds: 20 },
        {
          onprogress: (p) => progress.push(p.progress),
        },
      ),
    );
    expect(created.status).toBe('completed');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const status = structured<{ status: string }>(
      await client.call('get_video_status', { job_id: created.job_id }),
    );
    expect(status.status).toBe('completed');
    const saved = structured<{ path: string; bytes: number }>(
      await client.call('download_video', { job_id: created.job_id }),
    );
    expect(existsSync(saved.path)).toBe(true);
    const jobs = structured<{ jobs: { job_id: string; file_path?: string }[] }>(
      await client.call('list_video_jobs', {}),
    );
    expect(jobs.jobs[0]).toMatchObject({ job_id: created.job_id, file_path: saved.path });
    const resource = await client.readResource({ uri: `video-job://${created.job_id}` });
    const content = resource.contents[0];
    expect(JSON.parse(content && 'text' in content ? content.text : '{}')).toMatchObject({
      key: created.job_id,
      status: 'completed',
    });
  });
});

describe('HTTP sessions', () => {
  it('keeps two concurrent sessions apart, each with its own progress', async () => {
    h = await startHttpHarness();
    const [a, b] = await Promise.all([h.connect(), h.connect()]);
    const seen = { a: 0, b: 0 };
    const [ra, rb] = await Promise.all([
      call(
        a,
        'create_video',
        { model: FAST, prompt: 'session a', wait_seconds: 20 },
        { onprogress: () => seen.a++ },
      ),
      call(
        b,
        'create_video',
        { model: FAST, prompt: 'session b', wait_seconds: 20 },
        { onprogress: () => seen.b++ },
      ),
    ]);
    expect(structured(ra).status).toBe('completed');
    expect(structured(rb).status).toBe('completed');
    expect(structured(ra).job_id).not.toBe(structured(rb).job_id);
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
  });

  it('stops waiting when the client cancels; the job is kept and listed', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const client = await h.connect();
    const controller = new AbortController();
    const { pending, waiting } = startSlowCreate(client, 'cancel me', controller.signal);
    await waiting;
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const jobs = structured<{ jobs: { status: string; model: string }[] }>(
      await call(client, 'list_video_jobs', {}),
    );
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]?.model).toBe(SLOW);
    expect(creates(h.emulator)).toBe(1);
  });

  it('keeps the job when the client disconnects mid-wait', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const leaving = await h.connect();
    const started = startSlowCreate(leaving, 'gone');
    const pending = started.pending.catch((error: unknown) => error);
    await started.waiting;
    await leaving.close();
    await pending;
    const other = await h.connect();
    const jobs = structured<{ jobs: { job_id: string; status: string }[] }>(
      await call(other, 'list_video_jobs', {}),
    );
    expect(jobs.jobs).toHaveLength(1);
    expect(['queued', 'in_progress']).toContain(jobs.jobs[0]?.status);
  });

  it('closes a session left idle past the limit', async () => {
    h = await startHttpHarness({ http: { sessionIdleMinutes: 0.005 } });
    const client = await h.connect();
    expect((await client.listTools()).tools.length).toBe(6);
    await new Promise((r) => setTimeout(r, 800));
    await expect(client.listTools()).rejects.toThrow(/Session not found|404/);
  });

  it('at the cap closes the longest-idle session to make room', async () => {
    h = await startHttpHarness({ http: { maxSessions: 2 } });
    const first = await h.connect();
    await h.connect();
    await h.connect();
    // The first session was closed to make room for the third: its next call finds no session.
    await expect(first.listTools()).rejects.toThrow(/Session not found|404/);
  });

  it('refuses a third session when both open ones are busy', async () => {
    h = await startHttpHarness({ http: { maxSessions: 2 }, emulator: slowEmulator });
    const busy = await Promise.all([h.connect(), h.connect()]);
    const waits = busy.map((c) =>
      call(c, 'create_video', { model: SLOW, prompt: 'busy', wait_seconds: 3 }).catch((e: unknown) => e),
    );
    await new Promise((r) => setTimeout(r, 300));
    await expect(h.connect()).rejects.toThrow(/sessions are busy|503/);
    await Promise.all(waits);
  });
});

describe('HTTP 2026-07-28 requests (no session)', () => {
  const inFlight = async (harness: HttpHarness): Promise<number> =>
    (
      JSON.parse((await rawRequest(harness.url.replace('/mcp', '/healthz'), { method: 'GET' })).body) as {
        in_flight: number;
      }
    ).in_flight;

  it('stops waiting when the client aborts; the job is kept and listed, and nothing stays in flight', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const client = await h.connectAs('2026');
    const controller = new AbortController();
    const { pending, waiting } = startSlowCreate(client, 'cancel me', controller.signal);
    await waiting;
    expect(await inFlight(h)).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const jobs = structured<{ jobs: { status: string; model: string }[] }>(
      await client.call('list_video_jobs', {}),
    );
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]?.model).toBe(SLOW);
    expect(creates(h.emulator)).toBe(1);
    for (let i = 0; i < 100 && (await inFlight(h)) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await inFlight(h)).toBe(0);
  });

  it('keeps the job when the client goes away mid-wait', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const leaving = await h.connectAs('2026');
    const started = startSlowCreate(leaving, 'gone');
    const pending = started.pending.catch((error: unknown) => error);
    await started.waiting;
    await leaving.close();
    await pending;
    const other = await h.connectAs('2026');
    const jobs = structured<{ jobs: { job_id: string; status: string }[] }>(
      await other.call('list_video_jobs', {}),
    );
    expect(jobs.jobs).toHaveLength(1);
    expect(['queued', 'in_progress']).toContain(jobs.jobs[0]?.status);
  });
});

describe('HTTP sessions per token', () => {
  const TOKEN_C = 'token-charlie-0123456789abcdef';
  const alive = async (client: Client): Promise<boolean> =>
    client.listTools().then(
      () => true,
      () => false,
    );

  it("a token at its own cap closes its own longest-idle session, never another token's", async () => {
    h = await startHttpHarness({
      http: { tokens: [TOKEN_A, TOKEN_B], maxSessions: 3, maxSessionsPerToken: 2 },
    });
    const a = await h.connect(TOKEN_A);
    const [b1, b2] = [await h.connect(TOKEN_B), await h.connect(TOKEN_B)];
    // The server is full; A's session is the longest idle of all, yet B makes room from its own.
    const b3 = await h.connect(TOKEN_B);
    expect(await alive(a)).toBe(true);
    expect(await alive(b1)).toBe(false);
    expect(await alive(b2)).toBe(true);
    expect(await alive(b3)).toBe(true);
  });

  it('at the overall cap the token holding the most gives way, not the longest idle', async () => {
    h = await startHttpHarness({
      http: { tokens: [TOKEN_A, TOKEN_B, TOKEN_C], maxSessions: 3, maxSessionsPerToken: 2 },
    });
    const a = await h.connect(TOKEN_A);
    const [b1, b2] = [await h.connect(TOKEN_B), await h.connect(TOKEN_B)];
    const c = await h.connect(TOKEN_C);
    expect(await alive(a)).toBe(true);
    expect(await alive(b1)).toBe(false);
    expect(await alive(b2)).toBe(true);
    expect(await alive(c)).toBe(true);
  });

  it("refuses a token's new session with 503 when all of its own are busy, naming the setting", async () => {
    h = await startHttpHarness({
      http: { tokens: [TOKEN_A, TOKEN_B], maxSessionsPerToken: 1 },
      emulator: slowEmulator,
    });
    const a = await h.connect(TOKEN_A);
    const busy = await h.connect(TOKEN_B);
    const { pending, waiting } = startSlowCreate(busy, 'busy');
    await waiting;
    await expect(h.connect(TOKEN_B)).rejects.toThrow(/VIDEO_MCP_HTTP_MAX_SESSIONS_PER_TOKEN/);
    // Another token is not affected.
    expect(await alive(a)).toBe(true);
    expect(await alive(await h.connect(TOKEN_A))).toBe(true);
    await busy.close();
    await pending.catch(() => {});
  });
});

describe('HTTP load', () => {
  it('carries 200 concurrent sessions, each waiting on its own job, to completion', async () => {
    h = await startHttpHarness({ emulator: { jobDurationMs: 1_500 }, http: { createsPerMinute: 1_000 } });
    const clients = await Promise.all(Array.from({ length: 200 }, () => h?.connect() as Promise<Client>));
    const results = await Promise.all(
      clients.map((c, i) =>
        call(c, 'create_video', { model: FAST, prompt: `crowd ${i}`, wait_seconds: 60 }, { timeout: 60_000 }),
      ),
    );
    const statuses = results.map((r) => structured<{ status: string }>(r).status);
    expect(statuses.filter((s) => s === 'completed')).toHaveLength(200);
    expect(new Set(results.map((r) => structured<{ job_id: string }>(r).job_id)).size).toBe(200);
    expect(creates(h.emulator)).toBe(200);
  }, 60_000);
});

describe.each(['2025', '2026'] as const)('HTTP tokens (%s requests)', (era) => {
  it("hides one token's jobs from another: status, download, list, resources and job: inputs", async () => {
    h = await startHttpHarness({ http: { tokens: [TOKEN_A, TOKEN_B] } });
    const a = await h.connectAs(era, TOKEN_A);
    const b = await h.connectAs(era, TOKEN_B);
    const job = structured<{ job_id: string }>(
      await a.call('create_video', { model: FAST, prompt: 'mine', wait_seconds: 20 }),
    ).job_id;
    for (const [tool, args] of [
      ['get_video_status', { job_id: job }],
      ['download_video', { job_id: job }],
    ] as const) {
      const res = await b.call(tool, args);
      expect(res.isError, tool).toBe(true);
      expect(textOf(res)).toMatch(/No video job with id .* exists for this token/);
    }
    const listed = structured<{ jobs: unknown[] }>(await b.call('list_video_jobs', {}));
    expect(listed.jobs).toHaveLength(0);
    expect((await b.listResources()).resources).toHaveLength(0);
    await expect(b.readResource({ uri: `video-job://${job}` })).rejects.toThrow(
      /No video job with id .* exists for this token/,
    );
    // A model that takes an earlier video (wan2.7-i2v: frame_videos), so only the job's owner is refused.
    const continueIt = {
      model: 'Wan-AI/wan2.7-i2v',
      prompt: 'continue it',
      wait_seconds: 0,
      media: { frame_videos: [{ video: `job:${job}` }] },
    };
    const edit = await b.call('create_video', continueIt);
    expect(edit.isError).toBe(true);
    expect(textOf(edit)).toMatch(/No video job with id .* exists for this token/);
    const own = await a.call('create_video', continueIt);
    expect(own.isError, textOf(own)).toBeFalsy();
    expect(creates(h.emulator)).toBe(2);
    // The owner still sees everything.
    expect(structured<{ jobs: unknown[] }>(await a.call('list_video_jobs', {})).jobs).toHaveLength(2);
    expect((await a.listResources()).resources).toHaveLength(2);
    expect(structured(await a.call('get_video_status', { job_id: job })).status).toBe('completed');
  });

  it('rate-limits create_video per token before anything is sent', async () => {
    h = await startHttpHarness({ http: { tokens: [TOKEN_A, TOKEN_B], createsPerMinute: 2 } });
    const a = await h.connectAs(era, TOKEN_A);
    const b = await h.connectAs(era, TOKEN_B);
    const make = (c: EraClient) => c.call('create_video', { model: FAST, prompt: 'rate', wait_seconds: 0 });
    expect((await make(a)).isError).toBeFalsy();
    expect((await make(a)).isError).toBeFalsy();
    const third = await make(a);
    expect(third.isError).toBe(true);
    expect(textOf(third)).toMatch(/at most 2 create_video calls per minute per token.*Try again in \d+ s/);
    expect(creates(h.emulator)).toBe(2);
    // Another token has its own allowance.
    expect((await make(b)).isError).toBeFalsy();
    expect(creates(h.emulator)).toBe(3);
  });
});

describe('HTTP shutdown', () => {
  it('ends a wait at once with the job id and a next step, then refuses new requests', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const client = await h.connect();
    const { pending, waiting } = startSlowCreate(client, 'shutdown');
    await waiting;
    const begun = Date.now();
    const closing = h.handle.close();
    const result = structured<{ job_id: string; status: string; next_step: string }>(await pending);
    expect(Date.now() - begun).toBeLessThan(1500);
    expect(result.job_id).toBeTruthy();
    expect(result.status).not.toBe('completed');
    expect(result.next_step).toMatch(/get_video_status/);
    await closing;
    expect(creates(h.emulator)).toBe(1);
  });

  it('in stateless mode too: the wait in flight is counted, then ends at once with its job id', async () => {
    h = await startHttpHarness({ emulator: slowEmulator, stateless: true });
    const client = await h.connect();
    const { pending, waiting } = startSlowCreate(client, 'stateless shutdown');
    await waiting;
    const health = await rawRequest(h.url.replace('/mcp', '/healthz'), { method: 'GET' });
    const { mode, in_flight } = JSON.parse(health.body) as { mode: string; in_flight: number };
    expect(mode).toBe('stateless');
    // One open POST carries the wait: requests are counted, as before, not requests and calls.
    expect(in_flight).toBe(1);
    const begun = Date.now();
    const closing = h.handle.close();
    const result = structured<{ job_id: string; next_step: string }>(await pending);
    expect(Date.now() - begun).toBeLessThan(1500);
    expect(result.job_id).toBeTruthy();
    expect(result.next_step).toMatch(/get_video_status/);
    await closing;
    expect(creates(h.emulator)).toBe(1);
  });

  it('a 2026-07-28 wait in flight also ends at once with its job id', async () => {
    h = await startHttpHarness({ emulator: slowEmulator });
    const client = await h.connectAs('2026');
    const { pending, waiting } = startSlowCreate(client, 'modern shutdown');
    await waiting;
    const begun = Date.now();
    const closing = h.handle.close();
    const result = structured<{ job_id: string; status: string; next_step: string }>(await pending);
    expect(Date.now() - begun).toBeLessThan(1500);
    expect(result.job_id).toBeTruthy();
    expect(result.status).not.toBe('completed');
    expect(result.next_step).toMatch(/get_video_status/);
    await closing;
    expect(creates(h.emulator)).toBe(1);
  });

  it('a 2026-07-28 download in flight answers before the server closes: bytes kept, call again to resume', async () => {
    h = await startHttpHarness({
      emulator: { jobDurationMs: 200, videoBytes: 300_000_000 },
      http: { shutdownGraceSeconds: 0 },
    });
    const client = await h.connectAs('2026');
    const job = structured<{ job_id: string }>(
      await client.call('create_video', { model: FAST, prompt: 'big', wait_seconds: 20 }),
    ).job_id;
    let received = 0;
    const pending = client.call(
      'download_video',
      { job_id: job },
      {
        onprogress: (p) => {
          received = p.progress;
        },
      },
    );
    for (let i = 0; i < 500 && received === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toBeGreaterThan(0);
    await h.handle.close();
    const answer = await pending;
    expect(answer.isError).toBe(true);
    expect(textOf(answer)).toMatch(/bytes .*kept/);
    expect(textOf(answer)).toMatch(/resume/);
  });
});
