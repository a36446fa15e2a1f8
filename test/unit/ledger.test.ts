import { fork } from 'node:child_process';
import { appendFile, type FileHandle, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markInterruptedCreates } from '../../src/jobs/interrupted-creates.js';
import { JobLedger, LedgerError, sanitiseParams } from '../../src/jobs/ledger.js';
import { spentInLastDay } from '../../src/jobs/spend.js';
import { createLogger } from '../../src/log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-ledger-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('job ledger', () => {
  it('folds patches per job and moves a local key to the job id', async () => {
    const ledger = new JobLedger(dir);
    const local = JobLedger.localKey();
    await ledger.record(local, { status: 'submitting', model: 'google/veo-3.0', estimated_cost_usd: 1.6 });
    await ledger.record('job-1', { replaces: local, job_id: 'job-1', status: 'in_progress' });
    await ledger.record('job-1', { status: 'completed', cost: 1.6, video_url: 'https://x/v' });
    const jobs = await ledger.all();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      key: 'job-1',
      status: 'completed',
      model: 'google/veo-3.0',
      cost: 1.6,
      estimated_cost_usd: 1.6,
    });
    // A second instance (another process, a restart) reads the same state.
    expect(await new JobLedger(dir).get('job-1')).toMatchObject({ status: 'completed' });
  });

  it('survives a line cut short by a crash, keeping every intact record', async () => {
    const ledger = new JobLedger(dir);
    await ledger.record('job-1', { status: 'completed' });
    await appendFile(ledger.file, '\n{"v":1,"key":"job-2","at":"2026-01-0');
    const restarted = new JobLedger(dir);
    expect((await restarted.all()).map((j) => j.key)).toEqual(['job-1']);
    await restarted.record('job-3', { status: 'in_progress' });
    expect((await new JobLedger(dir).all()).map((j) => j.key).sort()).toEqual(['job-1', 'job-3']);
  });

  it('skips garbage lines and keeps reading', async () => {
    await writeFile(
      path.join(dir, 'jobs.jsonl'),
      '\nnot json\n{"v":1,"key":"a","at":"2026-01-01T00:00:00Z","status":"failed"}',
    );
    expect(await new JobLedger(dir).get('a')).toMatchObject({ status: 'failed' });
  });

  it('loses nothing when several processes append at once', async () => {
    const script = path.join(dir, 'writer.mjs');
    await writeFile(
      script,
      `import { open } from 'node:fs/promises';
       const [file, who] = process.argv.slice(2);
       for (let i = 0; i < 200; i++) {
         const h = await open(file, 'a');
         await h.write('\\n' + JSON.stringify({ v: 1, key: who + '-' + i, at: new Date().toISOString(), status: 'queued', pad: 'x'.repeat(300) }));
         await h.datasync();
         await h.close();
       }`,
    );
    const file = path.join(dir, 'jobs.jsonl');
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(
        (who) =>
          new Promise<void>((resolve, reject) =>
            fork(script, [file, who]).on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`writer ${who} exited ${code}`)),
            ),
          ),
      ),
    );
    expect(await new JobLedger(dir).all()).toHaveLength(800);
  });

  it('stays consistent when one process records many jobs at once', async () => {
    const ledger = new JobLedger(dir);
    const writer = new JobLedger(dir);
    // Overlapping reads while the file grows: the interleaving that once overshot the read offset.
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await writer.record(`w-${i}`, { status: 'queued', params: { prompt: 'x'.repeat(500) } });
        await Promise.all([ledger.all(), ledger.all(), ledger.get(`w-${i}`)]);
      }),
    );
    expect(await ledger.all()).toHaveLength(30);
    await Promise.all(Array.from({ length: 40 }, (_, i) => ledger.record(`job-${i}`, { status: 'queued' })));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => ledger.record(`job-${i}`, { status: 'completed' })),
    );
    const jobs = await ledger.all();
    expect(jobs).toHaveLength(70);
    expect(jobs.filter((j) => j.key.startsWith('job-')).every((j) => j.status === 'completed')).toBe(true);
    expect(await new JobLedger(dir).all()).toHaveLength(70);
  });

  it('keeps URLs but never stores inline base64 media', () => {
    const clean = sanitiseParams({
      prompt: 'a cat',
      media: {
        frame_images: [{ input_image: `data:image/png;base64,${'A'.repeat(5000)}` }],
        reference_images: ['https://x/y.png', 'B'.repeat(4000)],
      },
    });
    const text = JSON.stringify(clean);
    expect(text).toContain('https://x/y.png');
    expect(text).not.toContain('AAAAAAAAAA');
    expect(text).not.toContain('BBBBBBBBBB');
    expect(text).toContain('[inline data');
  });

  it('sums the last 24 hours of spend, charged cost first, failures free', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const at = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const base = { updated_at: at(0) };
    const total = spentInLastDay(
      [
        { key: 'a', status: 'completed', cost: 1.5, estimated_cost_usd: 2, created_at: at(1), ...base },
        { key: 'b', status: 'in_progress', estimated_cost_usd: 0.5, created_at: at(2), ...base },
        { key: 'c', status: 'failed', estimated_cost_usd: 9, created_at: at(3), ...base },
        { key: 'd', status: 'completed', cost: 7, created_at: at(30), ...base },
      ],
      now,
    );
    expect(total).toBe(2);
  });

  it('writes nothing for a patch that changes nothing, and everything for one that does', async () => {
    const ledger = new JobLedger(dir);
    await ledger.record('job-1', { status: 'queued', model: 'google/veo-3.0' });
    await ledger.record('job-1', { status: 'queued' });
    await ledger.record('job-1', { status: 'queued', model: 'google/veo-3.0' });
    const lines = (await readFile(ledger.file, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    await ledger.record('job-1', { status: 'completed', cost: 0.4 });
    expect((await readFile(ledger.file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    expect(await ledger.get('job-1')).toMatchObject({
      status: 'completed',
      cost: 0.4,
      model: 'google/veo-3.0',
    });
  });

  it('writes the file private to the user', async () => {
    const ledger = new JobLedger(dir);
    await ledger.record('x', { status: 'queued' });
    expect((await stat(ledger.file)).mode & 0o777).toBe(0o600);
    expect((await readFile(ledger.file, 'utf8')).startsWith('\n{')).toBe(true);
  });
});

/** A write that stores only part of what it was given, as a full disk does, then fails outright. */
function fillingDisk(allowBytes: number) {
  let left = allowBytes;
  return async (handle: FileHandle, bytes: Uint8Array): Promise<number> => {
    if (left <= 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const part = bytes.subarray(0, Math.min(left, bytes.length));
    const { bytesWritten } = await handle.write(part);
    left -= bytesWritten;
    return bytesWritten;
  };
}

describe('ledger writes that come up short', () => {
  it('finishes a record whose first write was short', async () => {
    let calls = 0;
    const halves = async (handle: FileHandle, bytes: Uint8Array): Promise<number> => {
      calls += 1;
      const { bytesWritten } = await handle.write(bytes.subarray(0, Math.ceil(bytes.length / 2)));
      return bytesWritten;
    };
    const ledger = new JobLedger(dir, undefined, undefined, { write: halves });
    await ledger.record('job-1', { status: 'queued', params: { prompt: '日本の夜景'.repeat(20) } });
    expect(calls).toBeGreaterThan(1);
    expect(await new JobLedger(dir).get('job-1')).toMatchObject({ status: 'queued' });
  });

  it('truncates a record the disk could not take, throws a clear error, and hides no later record', async () => {
    await new JobLedger(dir).record('job-1', { status: 'completed' });
    const before = (await stat(path.join(dir, 'jobs.jsonl'))).size;
    const full = new JobLedger(dir, undefined, undefined, { write: fillingDisk(40) });
    const error = (await full.record('job-2', { status: 'queued' }).catch((e: unknown) => e)) as Error & {
      code?: string;
    };
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/ENOSPC/);
    expect(error.code).toBe('ENOSPC');
    // Back to where the record began: no torn bytes left behind.
    expect((await stat(path.join(dir, 'jobs.jsonl'))).size).toBe(before);
    const freed = new JobLedger(dir);
    await freed.record('job-3', { status: 'queued' });
    expect((await new JobLedger(dir).all()).map((j) => j.key).sort()).toEqual(['job-1', 'job-3']);
  });

  it('says where and why when the state dir cannot be created', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const ledger = new JobLedger(path.join(blocker, 'state'));
    const error = (await ledger
      .record('job-1', { status: 'queued' })
      .catch((e: unknown) => e)) as LedgerError;
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.message).toContain(path.join(blocker, 'state'));
    expect(error.code).toBe('ENOTDIR');
  });
});

describe('ledger positions are bytes', () => {
  it('keeps every later record after a line cut inside a multi-byte character or stray invalid bytes', async () => {
    const ledger = new JobLedger(dir);
    await ledger.record('job-1', { status: 'queued', params: { prompt: '夜の東京' } });
    // Another process crashed mid-record, in the middle of a three-byte character, and left junk.
    const torn = Buffer.from('\n{"v":1,"key":"job-x","at":"2026-01-01T00:00:00Z","params":{"prompt":"東京');
    await appendFile(
      ledger.file,
      Buffer.concat([torn.subarray(0, torn.length - 1), Buffer.from([0xff, 0xfe, 0xc3])]),
    );
    for (const key of ['job-2', 'job-3', 'job-4']) {
      await ledger.record(key, { status: 'queued', params: { prompt: '桜' } });
      expect(await ledger.get(key)).toMatchObject({ status: 'queued' });
    }
    expect((await new JobLedger(dir).all()).map((j) => j.key).sort()).toEqual([
      'job-1',
      'job-2',
      'job-3',
      'job-4',
    ]);
  });
});

describe('ledger lines that are JSON but not records', () => {
  it('skips them with a warning and keeps every real record', async () => {
    const at = '"at":"2026-01-01T00:00:00.000Z"';
    await writeFile(
      path.join(dir, 'jobs.jsonl'),
      [
        '',
        'null',
        '42',
        '[1,2]',
        '"text"',
        `{"v":1,"key":"a",${at},"status":"failed"}`,
        `{"v":1,"key":7,${at},"status":"queued"}`,
        `{"v":1,"key":"b",${at},"status":3}`,
        `{"v":1,"key":"c",${at},"created_at":5}`,
        `{"v":1,"key":"d","at":"not a time","status":"queued"}`,
        `{"v":1,"key":"e",${at},"error":"boom"}`,
        `{"v":1,"key":"a",${at},"cost":"free"}`,
        `{"v":1,"key":"f",${at},"status":"queued"}`,
      ].join('\n'),
    );
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
    const jobs = await new JobLedger(dir, logger).all();
    expect(jobs.map((j) => j.key).sort()).toEqual(['a', 'f']);
    expect(jobs.find((j) => j.key === 'a')).toMatchObject({ status: 'failed' });
    expect(jobs.find((j) => j.key === 'a')?.cost).toBeUndefined();
    expect(warnings.filter((w) => w.includes('skipping a damaged ledger line'))).toHaveLength(10);
  });
});

describe('an unreadable ledger', () => {
  it('is an error naming the file and the OS error, not an empty ledger', async () => {
    // A directory where the file should be: unreadable even as root.
    await mkdir(path.join(dir, 'jobs.jsonl'));
    const error = (await new JobLedger(dir).all().catch((e: unknown) => e)) as LedgerError;
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.message).toContain(path.join(dir, 'jobs.jsonl'));
    expect(error.code).toBe('EISDIR');
  });

  it('treats only a missing file as "no jobs yet"', async () => {
    expect(await new JobLedger(path.join(dir, 'fresh')).all()).toEqual([]);
    const blocker = path.join(dir, 'file');
    await writeFile(blocker, 'x');
    const error = (await new JobLedger(blocker).all().catch((e: unknown) => e)) as LedgerError;
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe('ENOTDIR');
  });
});

describe('creates cut short by a stop', () => {
  it('become "unknown" with the dashboard advice at start; a late answer still replaces them cleanly', async () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    let now = start - 5_000;
    const ledger = new JobLedger(dir, undefined, () => new Date(now));
    const old = JobLedger.localKey();
    await ledger.record(old, { status: 'submitting', model: 'openai/sora-2' });
    now = start + 10;
    const fresh = JobLedger.localKey();
    await ledger.record(fresh, { status: 'submitting', model: 'openai/sora-2' });

    const marked = await markInterruptedCreates(new JobLedger(dir), start, createLogger({ level: 'silent' }));
    expect(marked).toBe(1);
    const restarted = new JobLedger(dir);
    expect(await restarted.get(old)).toMatchObject({
      status: 'unknown',
      error: { message: expect.stringMatching(/may exist and be charged: check Together's dashboard/) },
    });
    expect(await restarted.get(fresh)).toMatchObject({ status: 'submitting' });
    // Another server was still waiting on it after all: its answer moves the record to the job id.
    await ledger.record('job-late', { replaces: old, job_id: 'job-late', status: 'queued' });
    const late = await new JobLedger(dir).get('job-late');
    expect(late).toMatchObject({ status: 'queued', model: 'openai/sora-2' });
    expect(late?.error).toBeUndefined();
  });
});
