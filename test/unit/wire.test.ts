import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/together/errors.js';
import { normaliseStatus, parseErrorBody, parseJob, parseTimestamp } from '../../src/together/wire.js';

describe('parseJob: both documented shapes', () => {
  it('reads the spec shape (unix seconds, outputs)', () => {
    const job = parseJob({
      id: 'j1',
      object: 'video',
      model: 'google/veo-3.0',
      status: 'completed',
      created_at: 1729407438,
      completed_at: 1729407600,
      size: '1280x720',
      seconds: '8',
      outputs: { cost: 1.6, video_url: 'https://api.together.ai/shrt/abc' },
    });
    expect(job).toMatchObject({
      id: 'j1',
      model: 'google/veo-3.0',
      status: 'completed',
      size: '1280x720',
      seconds: '8',
    });
    expect(job.createdAt?.toISOString()).toBe('2024-10-20T06:57:18.000Z');
    expect(job.videoUrl).toBe('https://api.together.ai/shrt/abc');
    expect(job.cost).toBe(1.6);
  });

  it('reads the docs shape (ISO timestamps, string cost, extra keys)', () => {
    const job = parseJob({
      id: '019a0068-794a-7213-90f6-cc4eb62e3da7',
      model: 'minimax/video-01-director',
      status: 'completed',
      size: '1366x768',
      seconds: '6',
      outputs: { cost: '0.28', video_url: 'https://api.together.ai/shrt/DwlaBdSakNRFlBxN' },
      created_at: '2025-10-20T06:57:18.154804Z',
      completed_at: '2025-10-20T07:00:12.234472Z',
      claimed_at: '0001-01-01T00:00:00Z',
      something_new: { nested: true },
    });
    expect(job.cost).toBeCloseTo(0.28);
    expect(job.createdAt?.getUTCMinutes()).toBe(57);
    expect(job.completedAt?.getUTCHours()).toBe(7);
  });

  it('reads a failure from error{} (spec) and from info.errors[] (old docs)', () => {
    const spec = parseJob({
      id: 'a',
      status: 'failed',
      error: { message: "Unsupported use of 'negativePrompt'", code: 'unsupportedParameter' },
      outputs: null,
    });
    expect(spec.error).toEqual({
      message: "Unsupported use of 'negativePrompt'",
      code: 'unsupportedParameter',
    });
    const old = parseJob({
      id: 'b',
      status: 'failed',
      info: { user_id: 'u', errors: [{ code: 'nsfw', message: 'flagged' }] },
      done_at: '2025-01-01T00:00:00Z',
    });
    expect(old.error).toEqual({ message: 'flagged', code: 'nsfw' });
    expect(old.completedAt?.getUTCFullYear()).toBe(2025);
  });

  it('accepts a create reply that is only {id}, as queued', () => {
    expect(parseJob({ id: 'only-id' })).toEqual({ id: 'only-id', status: 'queued' });
  });

  it('keeps unknown statuses (callers treat them as running) and spells cancelled one way', () => {
    expect(parseJob({ id: 'x', status: 'Rendering' }).status).toBe('rendering');
    expect(normaliseStatus('canceled')).toBe('cancelled');
    expect(normaliseStatus('CANCELLED')).toBe('cancelled');
    expect(normaliseStatus(undefined)).toBe('unknown');
  });

  it('refuses a body with no id, naming what is missing', () => {
    expect(() => parseJob({ status: 'completed' })).toThrow(ProtocolError);
    expect(() => parseJob({ status: 'completed' })).toThrow(/"id"/);
    expect(() => parseJob('nope')).toThrow(/not a JSON object/);
  });

  it('parses timestamps in seconds, milliseconds and ISO, and ignores the zero time', () => {
    expect(parseTimestamp(1_700_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(parseTimestamp(1_700_000_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(parseTimestamp('1700000000')?.getTime()).toBe(1_700_000_000_000);
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('not a date')).toBeUndefined();
  });
});

describe('parseErrorBody', () => {
  it('finds the message and code in every known error shape', () => {
    expect(
      parseErrorBody(
        '{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}',
      ),
    ).toEqual({
      message: 'bad key',
      code: 'invalid_api_key',
    });
    expect(parseErrorBody('{"error":{"message":"slow down","type":"rate_limit"}}')).toEqual({
      message: 'slow down',
      code: 'rate_limit',
    });
    expect(parseErrorBody('{"message":"top level","error_type":"dynamic_request_limited"}')).toEqual({
      message: 'top level',
      code: 'dynamic_request_limited',
    });
    expect(parseErrorBody('<html>  Bad   Gateway </html>')).toEqual({
      message: '<html> Bad Gateway </html>',
    });
    expect(parseErrorBody('')).toEqual({});
  });
});
