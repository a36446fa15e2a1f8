import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxVideo } from '../../src/sandbox/assets/videos.js';
import { paddingHeader } from '../../src/sandbox/video-body.js';
import { probeVideo, readMp4 } from '../helpers/probe-video.js';

describe('the test-only MP4 checker used when ffprobe is missing', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tvm-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads duration and size from the sandbox MP4, agreeing with ffprobe where it exists', async () => {
    const file = path.join(dir, 'v.mp4');
    writeFileSync(file, sandboxVideo('mp4'));
    const boxes = readMp4(file);
    expect(boxes.duration).toBeGreaterThan(0);
    expect(boxes.width).toBeGreaterThan(0);
    const probed = await probeVideo(file);
    expect(Math.abs(probed.duration - boxes.duration)).toBeLessThan(0.2);
    expect([probed.width, probed.height]).toEqual([boxes.width, boxes.height]);
    expect([probed.format, probed.codec]).toEqual([boxes.format, boxes.codec]);
  });

  it('rejects bytes that are not an MP4', () => {
    const file = path.join(dir, 'expired.mp4');
    writeFileSync(file, '<html>expired</html>');
    expect(() => readMp4(file)).toThrow(/MP4|malformed/);
  });

  it('reads a 5 GB MP4 (a sparse file padded by a 64-bit free box) by its box headers alone', () => {
    const sample = sandboxVideo('mp4');
    const file = path.join(dir, 'huge.mp4');
    writeFileSync(file, Buffer.concat([sample, paddingHeader('mp4', 5_000_000_000 - sample.length)]));
    truncateSync(file, 5_000_000_000);
    expect(readMp4(file)).toMatchObject({ duration: 2, width: 320, height: 180, codec: 'h264' });
  });
});
