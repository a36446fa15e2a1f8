/**
 * A ledger that fails, through the SDK client: a real full disk (a small tmpfs; mounting needs root,
 * and where it is not allowed those tests say so and skip), a state dir that cannot be made or read,
 * and lines that are JSON but not records.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { creates, startHarness, structured, textOf } from '../helpers/harness.js';

const ARGS = { model: 'ByteDance/Seedance-1.0-lite', prompt: 'a heron in the rain', wait_seconds: 0 };
const PAGE = 4096;

interface Listed {
  jobs: { job_id?: string; local_id?: string; status: string }[];
  matched: number;
}

/** Fills the file system holding `dir` to the last page with one file. */
async function fillDisk(dir: string): Promise<void> {
  const filler = await open(path.join(dir, 'filler'), 'w');
  try {
    for (;;) await filler.write(Buffer.alloc(PAGE));
  } catch (error) {
    expect((error as { code?: string }).code).toBe('ENOSPC');
  } finally {
    await filler.close();
  }
}

/** Each line of the ledger file is a whole record (or blank): nothing torn was left behind. */
async function ledgerLines(file: string): Promise<Record<string, unknown>[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a full state disk during create_video', () => {
  let mountPoint: string;
  let mounted = false;
  beforeEach(async () => {
    mountPoint = await mkdtemp(path.join(os.tmpdir(), 'tvm-state-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  });
  afterEach(async () => {
    if (mounted) execFileSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('sends nothing when the intent cannot be written, and says where and what to do', async (ctx) => {
    if (!mounted) ctx.skip('cannot mount a small tmpfs here (needs root)');
    await fillDisk(mountPoint);
    const h = await startHarness({ stateDir: mountPoint });
    try {
      const result = await h.call('create_video', ARGS);
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain(mountPoint);
      expect(text).toMatch(/ENOSPC/);
      expect(text).toMatch(/Nothing was sent to Together and nothing was charged/);
      expect(text).toMatch(/Free space there, or set VIDEO_MCP_STATE_DIR/);
      expect(creates(h.emulator)).toBe(0);
      expect(h.logs.join('')).not.toContain('tool call crashed');
    } finally {
      await h.close();
    }
  });

  it('gives back the job id when the job record does not fit, leaves no torn record, and hides nothing', async (ctx) => {
    if (!mounted) ctx.skip('cannot mount a small tmpfs here (needs root)');
    const h = await startHarness({ stateDir: mountPoint });
    try {
      // One create with room to spare measures the two records a create writes (same sizes every time).
      const file = path.join(mountPoint, 'jobs.jsonl');
      expect((await h.call('create_video', ARGS)).isError).toBeFalsy();
      const [intent, job] = (await readFile(file, 'utf8')).split('\n').slice(1);
      const intentBytes = Buffer.byteLength(`\n${intent}`);
      const jobBytes = Buffer.byteLength(`\n${job}`);
      // Room left in the file's last page for the intent and half the job record, then a full disk.
      const room = intentBytes + Math.floor(jobBytes / 2);
      const size = (await stat(file)).size;
      const pad = (PAGE - ((size + room) % PAGE)) % PAGE;
      await writeFile(file, '\n'.repeat(pad), { flag: 'a' });
      await fillDisk(mountPoint);
      const before = (await stat(file)).size;

      const result = await h.call('create_video', ARGS);
      expect(result.isError).toBe(true);
      const jobId = /keep this id (\S+?)\./.exec(textOf(result))?.[1] ?? '';
      expect(textOf(result)).toMatch(/not recorded: keep this id \S+/);
      expect(textOf(result)).not.toMatch(/Unexpected error|lost the record/);
      expect(creates(h.emulator)).toBe(2);
      const retrieved = await h.call('get_video_status', { job_id: jobId });
      expect(structured<{ job_id: string }>(retrieved).job_id).toBe(jobId);
      const errorLine = h.logs.find((l) => l.includes('"level":"error"') && l.includes(jobId));
      expect(errorLine).toBeDefined();

      // The intent is whole on disk and nothing torn follows it.
      expect((await stat(file)).size).toBe(before + intentBytes);
      const lines = await ledgerLines(file);
      expect(lines.at(-1)).toMatchObject({ status: 'submitting' });

      // Space comes back: the next create is recorded and found, and so is every earlier record.
      await rm(path.join(mountPoint, 'filler'));
      const next = structured<{ job_id: string }>(await h.call('create_video', ARGS));
      const listed = structured<Listed>(await h.call('list_video_jobs', { limit: 50 }));
      expect(listed.jobs.map((j) => j.job_id)).toContain(next.job_id);
      expect(listed.jobs.filter((j) => j.local_id).map((j) => j.status)).toEqual(['submitting']);
      expect(listed.matched).toBe(3);
    } finally {
      await h.close();
    }
  });
});

describe('a state dir that cannot be made or read', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tvm-bad-state-'));
    // A file where a folder is expected: mkdir and reads fail even as root (ENOTDIR).
    await writeFile(path.join(root, 'home-file'), 'x');
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('refuses create_video before the paid call, as an expected failure naming the folder', async () => {
    const stateDir = path.join(root, 'home-file', '.local', 'state');
    const h = await startHarness({ stateDir });
    try {
      const result = await h.call('create_video', ARGS);
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain(stateDir);
      expect(text).toMatch(/ENOTDIR/);
      expect(text).toMatch(/Nothing was sent to Together and nothing was charged/);
      expect(text).toMatch(/VIDEO_MCP_STATE_DIR/);
      expect(text).not.toMatch(/Unexpected error/);
      expect(creates(h.emulator)).toBe(0);
      expect(h.logs.join('')).not.toContain('tool call crashed');
    } finally {
      await h.close();
    }
  });

  it('makes list_video_jobs say the ledger cannot be read, and where, never "No jobs match"', async () => {
    const stateDir = path.join(root, 'home-file', 'state');
    const h = await startHarness({ stateDir });
    try {
      const result = await h.call('list_video_jobs', {});
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(path.join(stateDir, 'jobs.jsonl'));
      expect(textOf(result)).toMatch(/cannot be read \(ENOTDIR/);
      expect(textOf(result)).not.toMatch(/No jobs match/);
    } finally {
      await h.close();
    }
  });

  it('reports a ledger file that is a folder with its OS error', async () => {
    const stateDir = path.join(root, 'odd-state');
    await mkdir(path.join(stateDir, 'jobs.jsonl'), { recursive: true });
    const h = await startHarness({ stateDir });
    try {
      const result = await h.call('list_video_jobs', {});
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/jobs\.jsonl cannot be read \(EISDIR/);
    } finally {
      await h.close();
    }
  });
});

describe('ledger lines that are JSON but not records', () => {
  it('are skipped with a warning: tools and resources/list keep working', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'tvm-odd-lines-'));
    const at = '"at":"2026-01-01T00:00:00.000Z"';
    await writeFile(
      path.join(stateDir, 'jobs.jsonl'),
      [
        '',
        `{"v":1,"key":"job-ok",${at},"job_id":"job-ok","status":"completed","model":"google/veo-3.0"}`,
        'null',
        '17',
        '[]',
        `{"v":1,"key":"job-bad-time",${at},"status":"queued","created_at":12}`,
        `{"v":1,"key":"job-bad-status",${at},"status":null}`,
        `{"v":1,"key":["x"],${at},"status":"queued"}`,
      ].join('\n'),
    );
    const h = await startHarness({ stateDir });
    try {
      const listed = await h.call('list_video_jobs', {});
      expect(listed.isError).toBeFalsy();
      expect(structured<Listed>(listed).jobs.map((j) => j.job_id)).toEqual(['job-ok']);
      const { resources } = await h.client.listResources();
      expect(resources.map((r) => r.uri)).toEqual(['video-job://job-ok']);
      const created = await h.call('create_video', ARGS);
      expect(created.isError).toBeFalsy();
      expect(
        h.logs.filter((l) => l.includes('skipping a damaged ledger line')).length,
      ).toBeGreaterThanOrEqual(6);
    } finally {
      await h.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
