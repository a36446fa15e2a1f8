import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Asks ffprobe (a test-only tool) whether a file is a playable video. */
export async function ffprobe(file: string): Promise<{ format: string; duration: number; width: number; height: number }> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error',
    '-show_entries', 'format=format_name,duration:stream=width,height,codec_type',
    '-of', 'json',
    file,
  ]);
  const info = JSON.parse(stdout) as {
    format: { format_name: string; duration: string };
    streams: { codec_type: string; width?: number; height?: number }[];
  };
  const video = info.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`${file} has no video stream`);
  return { format: info.format.format_name, duration: Number(info.format.duration), width: video.width ?? 0, height: video.height ?? 0 };
}
