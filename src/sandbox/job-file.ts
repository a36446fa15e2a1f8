/**
 * The emulator's jobs on disk, so a sandbox job made by one server process is found by the next
 * (every `npx @modelcontextprotocol/inspector --cli …` call starts a new server).
 *
 * Format: JSON Lines, one job per line. A job never changes once made (its status is a function of
 * the time since creation), so one append per job is the whole story. Each append is one O_APPEND
 * write, which several processes sharing a state dir can make without locks; each record starts
 * with a newline, so a line cut short by a crash is isolated and skipped, never merged into the next.
 */
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { EmulatedJob } from './job-store.js';

const storedJob = z.object({
  id: z.string().min(1),
  model: z.string(),
  request: z.record(z.string(), z.unknown()),
  createdAt: z.number().finite(),
  durationMs: z.number().finite().min(0),
  seconds: z.string(),
  size: z.string(),
  cost: z.number().finite(),
  container: z.enum(['mp4', 'webm']),
  failure: z.object({ message: z.string(), code: z.string() }).optional(),
});

/** Strings longer than this (inline base64 media) are not kept: the request is only shown, never replayed. */
const MAX_KEPT_STRING = 2048;

function slim(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > MAX_KEPT_STRING ? `[${value.length} characters not kept]` : value;
  if (Array.isArray(value)) return value.map(slim);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, slim(v)]));
  return value;
}

export class JobFile {
  private madeDir: Promise<unknown> | undefined;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Every whole, valid job in the file, oldest first; none when there is no file yet. */
  async read(): Promise<EmulatedJob[]> {
    let text: string;
    try {
      const handle = await open(this.file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const jobs: EmulatedJob[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const parsed = storedJob.safeParse(parseJson(line));
      if (!parsed.success) {
        skipped += 1;
        continue;
      }
      const { failure, ...fields } = parsed.data;
      jobs.push(failure ? { ...fields, failure } : fields);
    }
    if (skipped) this.logger.warn('skipped damaged sandbox job lines', { file: this.file, skipped });
    return jobs;
  }

  /** Appends one job and flushes it to disk: the create is answered only once this is done. */
  async append(job: EmulatedJob): Promise<void> {
    this.madeDir ??= mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 }).catch(
      (error: unknown) => {
        this.madeDir = undefined;
        throw error;
      },
    );
    await this.madeDir;
    const line = `\n${JSON.stringify({ ...job, request: slim(job.request) })}`;
    const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
    const handle = await open(this.file, flags, 0o600);
    try {
      // writeFile finishes a short write (write alone may not).
      await handle.writeFile(line);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
