import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbeResult {
  format: string;
  duration: number;
  width: number;
  height: number;
  by: 'ffprobe' | 'mp4-boxes';
}

let ffprobeAvailable: boolean | undefined;

async function hasFfprobe(): Promise<boolean> {
  if (ffprobeAvailable === undefined) {
    ffprobeAvailable = await run('ffprobe', ['-version']).then(
      () => true,
      () => false,
    );
  }
  return ffprobeAvailable;
}

/**
 * Asks ffprobe (a test-only tool) whether a file is a playable video. On a machine without ffmpeg it
 * falls back to reading the MP4 structure itself (ftyp, moov/mvhd duration, a video track's size), so
 * `npm test` still checks real files on a fresh machine.
 */
export async function ffprobe(file: string): Promise<ProbeResult> {
  if (!(await hasFfprobe())) return probeMp4Boxes(await readFile(file));
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=format_name,duration:stream=width,height,codec_type',
    '-of',
    'json',
    file,
  ]);
  const info = JSON.parse(stdout) as {
    format: { format_name: string; duration: string };
    streams: { codec_type: string; width?: number; height?: number }[];
  };
  const video = info.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`${file} has no video stream`);
  return {
    format: info.format.format_name,
    duration: Number(info.format.duration),
    width: video.width ?? 0,
    height: video.height ?? 0,
    by: 'ffprobe',
  };
}

function* boxes(
  buf: Buffer,
  start: number,
  end: number,
): Generator<{ type: string; body: number; end: number }> {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new Error(`malformed MP4 box ${type} at ${at}`);
    yield { type, body: at + header, end: at + size };
    at += size;
  }
}

export function probeMp4Boxes(buf: Buffer): ProbeResult {
  const top = [...boxes(buf, 0, buf.length)];
  if (top[0]?.type !== 'ftyp') throw new Error('not an MP4: no leading ftyp box');
  const moov = top.find((b) => b.type === 'moov');
  if (!moov || !top.some((b) => b.type === 'mdat')) throw new Error('MP4 lacks moov or mdat');
  let duration = 0;
  let width = 0;
  let height = 0;
  for (const box of boxes(buf, moov.body, moov.end)) {
    if (box.type === 'mvhd') {
      const v1 = buf[box.body] === 1;
      const timescale = buf.readUInt32BE(box.body + (v1 ? 20 : 12));
      const units = v1 ? Number(buf.readBigUInt64BE(box.body + 24)) : buf.readUInt32BE(box.body + 16);
      duration = units / timescale;
    }
    if (box.type === 'trak') {
      for (const inner of boxes(buf, box.body, box.end)) {
        if (inner.type !== 'tkhd') continue;
        // Width and height are the last two 16.16 fixed-point fields of tkhd.
        const w = buf.readUInt32BE(inner.end - 8) / 65536;
        const h = buf.readUInt32BE(inner.end - 4) / 65536;
        if (w > 0 && h > 0) [width, height] = [w, h];
      }
    }
  }
  if (!(duration > 0) || !(width > 0)) throw new Error('MP4 has no duration or no video track');
  return { format: 'mov,mp4,m4a,3gp,3g2,mj2', duration, width, height, by: 'mp4-boxes' };
}
