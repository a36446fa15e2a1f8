/**
 * Still images out of a video with ffmpeg: one frame at a time (a keyframe for the next job), or a
 * contact sheet of four (start, 1/3, 2/3, end) in one JPEG that a multimodal model can judge at a
 * glance. Every run has a time limit (run-tool.ts).
 */
import { FrameError } from './frame-error.js';
import type { FrameTools } from './frame-tools.js';
import type { VideoFacts } from './probe.js';
import { runTool } from './run-tool.js';

export interface Still {
  data: Buffer;
  mimeType: 'image/jpeg';
  width: number;
  height: number;
}

export interface ContactSheet extends Still {
  /** Seconds into the video of each tile: left to right, top to bottom. */
  times: number[];
}

const GRAB_TIMEOUT_MS = 30_000;
/** The sheet's budget: small enough for any model's context, big enough to judge a shot. */
export const SHEET_MAX_BYTES = 100 * 1024;
export const SHEET_MAX_WIDTH = 1024;
/** JPEG qualities tried in turn (ffmpeg's -q:v: 2 best, 31 worst) until the sheet fits its budget. */
const QUALITIES = [4, 7, 11, 16, 24, 31];

/** The last moment that still has a frame: a frame's length before the end. */
function lastMoment(facts: VideoFacts): number {
  const frame = facts.fps > 0 ? 1 / facts.fps : 0.1;
  return Math.max(0, facts.durationSeconds - 1.5 * frame);
}

/** A time the caller named (`first`, `last`, or seconds), clamped into the video. */
function momentOf(at: 'first' | 'last' | number, facts: VideoFacts): number {
  if (at === 'first') return 0;
  if (at === 'last') return lastMoment(facts);
  return Math.min(Math.max(0, at), lastMoment(facts));
}

/** Even sizes (most encoders want them) that fit the box and keep the shape. */
function fitBox(facts: VideoFacts, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / facts.width, maxHeight / facts.height);
  const even = (n: number): number => Math.max(2, Math.floor((n * scale) / 2) * 2);
  return { width: even(facts.width), height: even(facts.height) };
}

const seconds = (t: number): string => t.toFixed(3);

/** Runs ffmpeg with `args` (inputs, filters) and one JPEG frame of `quality` written to stdout. */
async function jpegFrom(
  tools: FrameTools,
  args: readonly string[],
  quality: number,
  what: string,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const out = ['-frames:v', '1', '-q:v', String(quality), '-f', 'image2pipe', '-c:v', 'mjpeg', '-'];
  const { stdout } = await runTool(tools.ffmpeg, ['-v', 'error', ...args, ...out], {
    timeoutMs: GRAB_TIMEOUT_MS,
    what,
    ...(signal ? { signal } : {}),
  });
  return stdout;
}

/** One frame at `at`, scaled to fit maxWidth x maxHeight (never up), as a high-quality JPEG. */
export async function grabFrame(
  tools: FrameTools,
  file: string,
  facts: VideoFacts,
  at: 'first' | 'last' | number,
  box: { maxWidth: number; maxHeight: number } = { maxWidth: facts.width, maxHeight: facts.height },
  signal?: AbortSignal,
): Promise<Still & { at: number }> {
  const { width, height } = fitBox(facts, box.maxWidth, box.maxHeight);
  const t = momentOf(at, facts);
  const stdout = await jpegFrom(
    tools,
    ['-ss', seconds(t), '-i', file, '-vf', `scale=${width}:${height}`],
    2,
    `Taking the frame at ${seconds(t)} s of ${file} (ffmpeg)`,
    signal,
  );
  if (stdout.length === 0)
    throw new FrameError(`${file} has no frame at ${seconds(t)} s: it may be cut short.`);
  return { data: stdout, mimeType: 'image/jpeg', width, height, at: Math.round(t * 1000) / 1000 };
}

/** Four frames (start, 1/3, 2/3, end) in a 2x2 grid, at most SHEET_MAX_WIDTH wide and SHEET_MAX_BYTES. */
export async function contactSheet(
  tools: FrameTools,
  file: string,
  facts: VideoFacts,
  signal?: AbortSignal,
): Promise<ContactSheet> {
  const end = lastMoment(facts);
  const times = [0, end / 3, (2 * end) / 3, end].map((t) => Math.round(t * 1000) / 1000);
  const tile = fitBox(facts, SHEET_MAX_WIDTH / 2, SHEET_MAX_WIDTH / 2);
  const inputs = times.flatMap((t) => ['-ss', seconds(t), '-i', file]);
  const scaled = times.map(
    (_, i) => `[${i}:v]trim=end_frame=1,scale=${tile.width}:${tile.height},setsar=1[f${i}]`,
  );
  const graph = `${scaled.join(';')};[f0][f1][f2][f3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0[sheet]`;
  for (const quality of QUALITIES) {
    const stdout = await jpegFrom(
      tools,
      [...inputs, '-filter_complex', graph, '-map', '[sheet]'],
      quality,
      `Making the preview of ${file} (ffmpeg)`,
      signal,
    );
    if (stdout.length === 0)
      throw new FrameError(`${file} gave no frames for a preview: it may be cut short.`);
    if (stdout.length <= SHEET_MAX_BYTES || quality === QUALITIES.at(-1))
      return { data: stdout, mimeType: 'image/jpeg', width: tile.width * 2, height: tile.height * 2, times };
  }
  throw new FrameError(`Making the preview of ${file} gave nothing.`);
}
