/**
 * The tool boundary tells three things apart by class: an expected failure (a UserFacingError, shown
 * and logged at info), a cancellation (an AbortedError, logged as "tool call cancelled") and a bug
 * (anything else, logged as a crash).
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { ConfigError } from '../../src/config.js';
import { AbortedError, UserFacingError } from '../../src/errors.js';
import { DownloadError } from '../../src/files/download.js';
import { OutputPathError } from '../../src/files/output-path.js';
import { DownloadInProgressError } from '../../src/files/partial-file.js';
import { UnsafeFileError } from '../../src/files/safe-open.js';
import { LedgerError } from '../../src/jobs/ledger.js';
import { JobNotReadyError } from '../../src/jobs/save-video.js';
import { createLogger } from '../../src/log.js';
import {
  ConnectionError,
  errorForStatus,
  NotFoundError,
  ProtocolError,
  TimeoutError,
} from '../../src/together/errors.js';
import { ToolFailure, ToolInputError, toolErrorResult } from '../../src/tools/tool-error.js';

type Line = { level: string; msg: string; error?: { name: string } };

const CANCELLED =
  'The call was cancelled. Any job already created keeps running; its id was returned or logged.';

function boundary(error: unknown, signal?: AbortSignal) {
  const lines: Line[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Line) });
  const result = toolErrorResult(error, logger, signal);
  return { result, lines, text: (result.content[0] as { text: string }).text };
}

const EXPECTED: [string, Error][] = [
  ['ToolInputError', new ToolInputError([{ field: 'model', message: 'is required' }])],
  ['ToolFailure', new ToolFailure('Refused: over the spend limit.')],
  ['JobNotReadyError', new JobNotReadyError('Job j1 is queued; wait for it.')],
  ['DownloadError', new DownloadError('expired', 'The video URL expired.')],
  ['DownloadInProgressError', new DownloadInProgressError('Another call is downloading this video.')],
  ['OutputPathError', new OutputPathError('"a/b.mp4" names a folder.')],
  ['UnsafeFileError', new UnsafeFileError('/out/v.mp4 is a symbolic link, not a regular file')],
  [
    'LedgerError',
    new LedgerError('The job ledger /s/jobs.jsonl is full (ENOSPC).', 'ENOSPC', '/s/jobs.jsonl'),
  ],
  ['ConfigError', new ConfigError('Invalid configuration:\nVIDEO_MCP_SANDBOX: must be true or false')],
  ...[400, 401, 402, 403, 404, 429, 500, 503, 418].map((s): [string, Error] => {
    const e = errorForStatus(s, {});
    return [e.name, e];
  }),
  ['ConnectionError', new ConnectionError('Could not reach Together.')],
  ['TimeoutError', new TimeoutError('Together did not answer within 30 s.')],
  ['ProtocolError', new ProtocolError('Together returned a video job without an "id".')],
];

describe('toolErrorResult', () => {
  it.each(EXPECTED)('shows a %s as it is and logs it at info', (name, error) => {
    expect(error).toBeInstanceOf(UserFacingError);
    const { result, lines, text } = boundary(error);
    expect(result.isError).toBe(true);
    expect(text).toBe(error.message);
    expect(lines.map((l) => [l.level, l.msg, l.error?.name])).toEqual([
      ['info', 'tool call refused or failed', name],
    ]);
  });

  it('adds Together’s code, request id and the may-exist warning to an API error', () => {
    const error = errorForStatus(500, { code: 'internal', requestId: 'req-9', jobMayExist: true });
    expect(boundary(error).text).toBe(
      'Together had a server error (500). (code internal, request id req-9) The job may already exist ' +
        "and be charged even so: check Together's dashboard before creating it again.",
    );
  });

  it('tells a not-found apart by its class, and its kind comes from the class', () => {
    const error = errorForStatus(404, {});
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.kind).toBe('not_found');
    expect(new TimeoutError('x').kind).toBe('timeout');
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a plain Error', new Error('boom')],
    ['a thrown string', 'boom'],
  ])('logs %s as a crash and says the error was unexpected', (_what, error) => {
    const { result, lines, text } = boundary(error);
    expect(result.isError).toBe(true);
    expect(text).toBe(`Unexpected error: ${error instanceof Error ? error.message : error}`);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['error', 'tool call crashed']]);
  });

  it('logs an AbortedError as a cancellation even when the call’s own signal did not abort', () => {
    // A server shutdown stops the wait through its own signal, not the request's.
    const shutdown = new AbortController();
    shutdown.abort();
    const { result, lines } = boundary(
      new AbortedError({ cause: shutdown.signal.reason }),
      new AbortController().signal,
    );
    expect(result).toEqual({ content: [{ type: 'text', text: CANCELLED }], isError: true });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['info', 'tool call cancelled']]);
  });

  it('logs anything thrown once the call’s signal aborted as a cancellation', () => {
    const call = new AbortController();
    call.abort('client went away');
    const { text, lines } = boundary(new Error('socket hang up'), call.signal);
    expect(text).toBe(CANCELLED);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['info', 'tool call cancelled']]);
  });
});

describe('an aborted sleep', () => {
  it('rejects with an AbortedError carrying the signal’s reason, at once or later', async () => {
    const before = new AbortController();
    before.abort('early');
    const early = await systemClock.sleep(10_000, before.signal).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AbortedError);
    expect((early as AbortedError).cause).toBe('early');

    const during = new AbortController();
    const sleeping = systemClock.sleep(10_000, during.signal).catch((e: unknown) => e);
    during.abort('late');
    const late = await sleeping;
    expect(late).toBeInstanceOf(AbortedError);
    expect((late as AbortedError).cause).toBe('late');
  });
});
