/** What a video file is, read from the file itself with ffprobe: duration, size, frame rate, codec. */
import { stat } from 'node:fs/promises';
import { FrameError } from './frame-error.js';
import type { FrameTools } from './frame-tools.js';
import { runTool } from './run-tool.js';

export interface VideoFacts {
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  codec: string;
}

const PROBE_TIMEOUT_MS = 15_000;

interface ProbeJson {
  streams?: {
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
  }[];
  format?: { duration?: string };
}

/** "30000/1001" -> 29.97; undefined for "0/0" and the like. */
function rate(text: string | undefined): number | undefined {
  const [num, den] = (text ?? '').split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return undefined;
  return Math.round((num / den) * 1000) / 1000;
}

export async function probeVideo(tools: FrameTools, file: string, signal?: AbortSignal): Promise<VideoFacts> {
  const { size } = await stat(file).catch((error: unknown) => {
    throw new FrameError(`${file} cannot be read: ${(error as Error).message}`, { cause: error });
  });
  if (size === 0) throw new FrameError(`${file} is empty (0 bytes): there is no video to take frames from.`);
  const { stdout } = await runTool(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,avg_frame_rate,r_frame_rate:format=duration',
      '-of',
      'json',
      file,
    ],
    { timeoutMs: PROBE_TIMEOUT_MS, what: `Reading ${file} (ffprobe)`, ...(signal ? { signal } : {}) },
  ).catch((error: unknown) => {
    throw new FrameError(
      `${file} is not a video ffprobe can read (${size} bytes): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  });
  const json = JSON.parse(stdout.toString('utf8') || '{}') as ProbeJson;
  const video = json.streams?.[0];
  if (!video?.width || !video.height)
    throw new FrameError(`${file} has no video stream (audio only, or not a video): no frames to take.`);
  const durationSeconds = Number(json.format?.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0)
    throw new FrameError(`${file} has no readable duration: it may be cut short.`);
  return {
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    width: video.width,
    height: video.height,
    fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 0,
    codec: video.codec_name ?? 'unknown',
  };
}
