import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { ffprobe, probeMp4Boxes } from '../helpers/ffprobe.js';

describe('the test-only MP4 checker used when ffprobe is missing', () => {
  it('reads duration and size from the sandbox MP4, agreeing with ffprobe where it exists', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tvm-probe-'));
    const file = path.join(dir, 'v.mp4');
    writeFileSync(file, sandboxVideo('mp4'));
    const boxes = probeMp4Boxes(readFileSync(file));
    expect(boxes.duration).toBeGreaterThan(0);
    expect(boxes.width).toBeGreaterThan(0);
    const probed = await ffprobe(file);
    expect(Math.abs(probed.duration - boxes.duration)).toBeLessThan(0.2);
    expect([probed.width, probed.height]).toEqual([boxes.width, boxes.height]);
  });

  it('rejects bytes that are not an MP4', () => {
    expect(() => probeMp4Boxes(Buffer.from('<html>expired</html>'))).toThrow(/MP4|malformed/);
  });
});
