/**
 * Frames from video files with the system's ffmpeg: the sandbox's MP4 and WebM clips and clips made
 * here at several sizes, the contact sheet's size and byte budget, single frames, and bad files
 * (empty, cut short, not a video, audio only) refused clearly and never hung.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENABLE_FRAMES, type FrameTools, findFrameTools } from '../../src/frames/frame-tools.js';
import { contactSheet, grabFrame, SHEET_MAX_BYTES, SHEET_MAX_WIDTH } from '../../src/frames/grab-frames.js';
import { probeVideo } from '../../src/frames/probe.js';
import { jpegSize } from '../helpers/jpeg-size.js';

const ASSETS = path.join(import.meta.dirname, '..', '..', 'src', 'sandbox', 'assets');

describe('frames with ffmpeg', () => {
  let tools: FrameTools;
  let dir: string;
  /** A file made by the system's ffmpeg from one of its generated sources (lavfi). */
  const generate = (file: string, source: string, ...encode: string[]): string => {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, ...encode, file]);
    return file;
  };
  const made = (name: string, size: string, seconds: number): string =>
    generate(
      path.join(dir, name),
      `testsrc2=size=${size}:rate=30:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    );

  beforeAll(async () => {
    const found = await findFrameTools(undefined);
    if (!found) throw new Error('ffmpeg and ffprobe are needed for these tests: apt-get install ffmpeg');
    tools = found;
    dir = await mkdtemp(path.join(os.tmpdir(), 'tvm-frames-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['sample.mp4', 'sample.webm'])(
    'reads the sandbox clip %s and makes its sheet and last frame',
    async (name) => {
      const file = path.join(ASSETS, name);
      const facts = await probeVideo(tools, file);
      expect(facts).toMatchObject({ durationSeconds: 2, width: 320, height: 180, fps: 24 });
      expect(facts.codec).toBe(name.endsWith('mp4') ? 'h264' : 'vp9');
      const sheet = await contactSheet(tools, file, facts);
      expect(sheet.times).toEqual([0, 0.646, 1.292, 1.938]);
      expect({ width: sheet.width, height: sheet.height }).toEqual({ width: 640, height: 360 });
      expect(jpegSize(sheet.data)).toEqual({ width: 640, height: 360 });
      const last = await grabFrame(tools, file, facts, 'last');
      expect(last.at).toBe(1.938);
      expect(jpegSize(last.data)).toEqual({ width: 320, height: 180 });
    },
  );

  it.each([
    ['640x360', 3],
    ['1280x720', 4],
    ['1920x1080', 6],
    ['720x1280', 4],
  ])('keeps a %s clip sheet within %s px wide and the byte budget', async (size, seconds) => {
    const file = made(`clip-${size}.mp4`, size, seconds);
    const facts = await probeVideo(tools, file);
    const [w, h] = size.split('x').map(Number) as [number, number];
    expect(facts).toMatchObject({ width: w, height: h, fps: 30, durationSeconds: seconds });
    const sheet = await contactSheet(tools, file, facts);
    const real = jpegSize(sheet.data);
    expect(real).toEqual({ width: sheet.width, height: sheet.height });
    expect(sheet.width).toBeLessThanOrEqual(SHEET_MAX_WIDTH);
    expect(sheet.data.length).toBeLessThanOrEqual(SHEET_MAX_BYTES);
    // The shape of the video, tile by tile (2 x 2).
    expect(Math.abs(sheet.width / sheet.height - w / h)).toBeLessThan(0.02);
    const frame = await grabFrame(tools, file, facts, 1.5, { maxWidth: 512, maxHeight: 512 });
    expect(Math.max(frame.width, frame.height)).toBeLessThanOrEqual(512);
    expect(jpegSize(frame.data)).toEqual({ width: frame.width, height: frame.height });
  });

  it('refuses bad files with a clear error, fast', async () => {
    const empty = path.join(dir, 'empty.mp4');
    await writeFile(empty, '');
    await expect(probeVideo(tools, empty)).rejects.toThrow(/is empty \(0 bytes\)/);

    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, 'this is not a video at all\n'.repeat(100));
    await expect(probeVideo(tools, text)).rejects.toThrow(/is not a video ffprobe can read/);

    const audio = path.join(dir, 'tone.m4a');
    generate(audio, 'sine=frequency=440:duration=1');
    await expect(probeVideo(tools, audio)).rejects.toThrow(/has no video stream \(audio only/);

    const cut = path.join(dir, 'cut.mp4');
    await writeFile(cut, await readFile(path.join(ASSETS, 'sample.mp4')));
    await truncate(cut, 4_000);
    // Its header says 2 s (the index comes first), but the frames are gone.
    const cutFacts = await probeVideo(tools, cut);
    await expect(grabFrame(tools, cut, cutFacts, 'last')).rejects.toThrow(/cut\.mp4/);
    await expect(contactSheet(tools, cut, cutFacts)).rejects.toThrow(/cut\.mp4/);
  });

  it('stops a tool that runs past its time limit', async () => {
    const { runTool } = await import('../../src/frames/run-tool.js');
    const started = performance.now();
    await expect(
      runTool(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
        timeoutMs: 300,
        what: 'A stuck tool',
      }),
    ).rejects.toThrow(/A stuck tool took over 0.3 s and was stopped/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('finds no tools where there are none, and takes VIDEO_MCP_FFMPEG with ffprobe beside it', async () => {
    expect(await findFrameTools(undefined, dir)).toBeUndefined();
    expect(ENABLE_FRAMES).toMatch(/Install ffmpeg .* or set VIDEO_MCP_FFMPEG to the ffmpeg binary/);
    expect(await findFrameTools(path.join(dir, 'ffmpeg'))).toBeUndefined();
    expect(await findFrameTools(tools.ffmpeg)).toEqual(tools);
  });
});
