/** The 4 MiB marks that pace the download's garbage collection, past 2 GiB (where `>>` goes negative). */
import { describe, expect, it } from 'vitest';
import { gcMark } from '../../src/files/partial-file.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('gcMark', () => {
  it('counts 4 MiB marks', () => {
    expect(gcMark(0)).toBe(0);
    expect(gcMark(4 * MiB - 1)).toBe(0);
    expect(gcMark(4 * MiB)).toBe(1);
  });

  it('keeps counting up past 2 GiB and 4 GiB', () => {
    expect(gcMark(2 * GiB - 1)).toBe(511);
    expect(gcMark(2 * GiB + MiB)).toBe(512);
    expect(gcMark(3 * GiB)).toBe(768);
    expect(gcMark(4 * GiB + 4 * MiB)).toBe(1025);
  });
});
