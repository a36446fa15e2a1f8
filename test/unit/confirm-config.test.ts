/** VIDEO_MCP_CONFIRM_ABOVE_USD: a number of USD, 0 or more; unset means never ask; a bad value names the variable. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const HOME = '/home/alice';

describe('VIDEO_MCP_CONFIRM_ABOVE_USD', () => {
  it('is off when unset or empty', () => {
    expect(loadConfig({}, {}, HOME).confirmAboveUsd).toBeUndefined();
    expect(loadConfig({ VIDEO_MCP_CONFIRM_ABOVE_USD: ' ' }, {}, HOME).confirmAboveUsd).toBeUndefined();
  });

  it('takes a number of USD, 0 (ask for every video) included', () => {
    expect(loadConfig({ VIDEO_MCP_CONFIRM_ABOVE_USD: '2.5' }, {}, HOME).confirmAboveUsd).toBe(2.5);
    expect(loadConfig({ VIDEO_MCP_CONFIRM_ABOVE_USD: '0' }, {}, HOME).confirmAboveUsd).toBe(0);
  });

  it.each(['-1', 'two dollars', '$2'])('refuses %j, naming the variable and what it takes', (value) => {
    expect(() => loadConfig({ VIDEO_MCP_CONFIRM_ABOVE_USD: value }, {}, HOME)).toThrow(
      'Invalid configuration:\nVIDEO_MCP_CONFIRM_ABOVE_USD: must be a number of USD, 0 or more, e.g. 2',
    );
  });
});
