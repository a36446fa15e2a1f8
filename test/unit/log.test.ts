import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../src/log.js';

describe('logger', () => {
  it('writes one JSON line per record, at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    logger.debug('hidden');
    logger.info('shown', { job_id: 'j1' });
    logger.child({ tool: 'create_video' }).warn('child');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'shown', job_id: 'j1' });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ level: 'warn', msg: 'child', tool: 'create_video' });
  });

  it('never prints secrets: exact values, bearer tokens and secret-named fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), secrets: ['tk-live-SECRET-42'] });
    logger.error('request failed', {
      url: 'https://x.test/?key=tk-live-SECRET-42',
      headers: 'Authorization: Bearer abc.def-123',
      authorization: 'Bearer zzz',
      error: new Error('bad key tk-live-SECRET-42'),
    });
    const out = lines.join('');
    expect(out).not.toContain('tk-live-SECRET-42');
    expect(out).not.toContain('abc.def-123');
    expect(out).not.toContain('zzz');
    expect(out).toContain('[redacted]');
  });

  it('redact() scrubs bearer tokens even without a known secret list', () => {
    expect(redact('Bearer sk-1234567890')).toBe('Bearer [redacted]');
  });
});
