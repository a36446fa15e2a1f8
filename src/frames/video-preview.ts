/**
 * A video's preview: what the file itself says it is (probe.ts) and a contact sheet of four frames
 * (grab-frames.ts), made under one overall time limit so a slow or odd file never holds up the call
 * that asked for it (each ffmpeg run also has its own).
 */
import { FrameError } from './frame-error.js';
import type { FrameTools } from './frame-tools.js';
import { type ContactSheet, contactSheet } from './grab-frames.js';
import { probeVideo, type VideoFacts } from './probe.js';

/** Probe plus sheet: 1.4 s for a 10 s 1080p clip with a keyframe every 8 s, the worst case (bench/preview.mjs). */
const PREVIEW_TIMEOUT_MS = 20_000;

export interface VideoPreview {
  facts: VideoFacts;
  sheet: ContactSheet;
}

/** The preview facts a result carries, in the snake_case of tool results. */
export interface PreviewFacts {
  frame_times: number[];
  duration_seconds: number;
  width: number;
  height: number;
  fps: number;
  codec: string;
}

export function previewFacts({ facts, sheet }: VideoPreview): PreviewFacts {
  return {
    frame_times: sheet.times,
    duration_seconds: facts.durationSeconds,
    width: facts.width,
    height: facts.height,
    fps: facts.fps,
    codec: facts.codec,
  };
}

/** Throws FrameError for a file frames cannot be taken from, or past PREVIEW_TIMEOUT_MS. */
export async function makePreview(
  tools: FrameTools,
  file: string,
  signal?: AbortSignal,
  timeoutMs = PREVIEW_TIMEOUT_MS,
): Promise<VideoPreview> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    const facts = await probeVideo(tools, file, both);
    return { facts, sheet: await contactSheet(tools, file, facts, both) };
  } catch (error) {
    if (deadline.aborted && !signal?.aborted)
      throw new FrameError(`Making the preview of ${file} took over ${timeoutMs / 1000} s and was stopped.`, {
        cause: error,
      });
    throw error;
  }
}

/** True at the first call, false after: for what a server says once (how to enable previews). */
export function firstTimeOnly(): () => boolean {
  let said = false;
  return () => {
    if (said) return false;
    said = true;
    return true;
  };
}
