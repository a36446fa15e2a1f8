/**
 * The inline-data limit is derived from the MCP SDK's stdio message limit: if the SDK changes it,
 * this fails and README's stated limits must be revisited.
 */
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { describe, expect, it } from 'vitest';
import { INLINE_MAX_BYTES, STDIO_MESSAGE_MAX_BYTES } from '../../src/files/media-kind.js';

describe('inline media limits', () => {
  it("match the SDK's stdio message limit", () => {
    expect(STDIO_MESSAGE_MAX_BYTES).toBe(STDIO_DEFAULT_MAX_BUFFER_SIZE);
  });

  it('leave room in one stdio message for the base64 of the inline limit and a long prompt', () => {
    const base64 = Math.ceil(INLINE_MAX_BYTES / 3) * 4;
    const rest = 32_000 * 6 + 64 * 1024; // a 32,000-character prompt, JSON-escaped at worst, and the envelope
    expect(base64 + rest).toBeLessThan(STDIO_MESSAGE_MAX_BYTES);
  });
});
