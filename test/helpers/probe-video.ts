/**
 * Is a saved file a playable video? ffprobe answers when it is installed (CI installs ffmpeg: .ci/run).
 * Without it, the built-in `readMp4` answers instead, and says so once on stderr.
 */
import { execFile } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { type ByteSource, mp4Boxes } from './containers.js';

const run = promisify(execFile);

export interface VideoInfo {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  format: string;
  duration: number;
  width: number;
  height: number;
  /** ffprobe's codec_name of the video stream, e.g. "h264" or "vp9". */
  codec: string;
  by: 'ffprobe' | 'mp4-boxes';
}

let ffprobeInstalled: Promise<boolean> | undefined;

export async function probeVideo(file: string): Promise<VideoInfo> {
  ffprobeInstalled ??= run('ffprobe', ['-version']).then(
    () => true,
    () => {
      process.stderr.write('ffprobe is not installed: videos are checked by the built-in MP4 reader\n');
      return false;
    },
  );
  if (!(await ffprobeInstalled)) return readMp4(file);
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=format_name,duration:stream=codec_type,codec_name,width,height',
    '-of',
    'json',
    file,
  ]);
  const info = JSON.parse(stdout) as {
    format: { format_name: string; duration: string };
    streams: { codec_type: string; codec_name?: string; width?: number; height?: number }[];
  };
  const video = info.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`${file} has no video stream`);
  return {
    format: info.format.format_name,
    duration: Number(info.format.duration),
    width: video.width ?? 0,
    height: video.height ?? 0,
    codec: video.codec_name ?? '',
    by: 'ffprobe',
  };
}

/** ffprobe's codec_name for an MP4 sample entry type. */
const CODECS: Record<string, string> = {
  avc1: 'h264',
  avc3: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  av01: 'av1',
};

/**
 * The MP4 structure only, read without ffprobe: an ftyp box first, moov and mdat present, the movie's
 * duration (mvhd), and the size (tkhd) and codec (stsd) of a track with a picture. It does not decode a
 * frame, and it throws for anything that is not an MP4, a WebM included (install ffmpeg to check those).
 * It reads only box headers and moov, so a multi-gigabyte (or sparse) file costs no memory.
 */
export function readMp4(file: string): VideoInfo {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const source: ByteSource = {
      size,
      read(at, length) {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - at)));
        readSync(fd, buf, 0, buf.length, at);
        return buf;
      },
    };
    if (source.read(4, 4).toString('latin1') !== 'ftyp')
      throw new Error(
        `${file} is not an MP4 (no leading ftyp box); install ffmpeg to check other containers`,
      );
    const top = [...mp4Boxes(source)];
    const moovBox = top.find((b) => b.type === 'moov');
    if (!moovBox || !top.some((b) => b.type === 'mdat')) throw new Error('MP4 lacks moov or mdat');
    const moov = source.read(moovBox.start, moovBox.end - moovBox.start);
    const children = (box: { body: number; end: number }) => [...mp4Boxes(moov, box.body, box.end)];
    const child = (box: { body: number; end: number } | undefined, type: string) =>
      box && children(box).find((b) => b.type === type);
    let duration = 0;
    let width = 0;
    let height = 0;
    let codec = '';
    for (const box of children({ body: moovBox.body - moovBox.start, end: moov.length })) {
      if (box.type === 'mvhd') {
        const v1 = moov[box.body] === 1;
        const timescale = moov.readUInt32BE(box.body + (v1 ? 20 : 12));
        const units = v1 ? Number(moov.readBigUInt64BE(box.body + 24)) : moov.readUInt32BE(box.body + 16);
        duration = units / timescale;
      }
      const tkhd = box.type === 'trak' ? child(box, 'tkhd') : undefined;
      if (!tkhd) continue;
      // Width and height are the last two 16.16 fixed-point fields of tkhd; a sound track has zeros.
      const w = moov.readUInt32BE(tkhd.end - 8) / 65536;
      const h = moov.readUInt32BE(tkhd.end - 4) / 65536;
      if (!(w > 0 && h > 0)) continue;
      [width, height] = [w, h];
      const stsd = child(child(child(child(box, 'mdia'), 'minf'), 'stbl'), 'stsd');
      // stsd: version and flags, an entry count, then the first sample entry (a box named by its codec).
      const entry = stsd ? moov.toString('latin1', stsd.body + 12, stsd.body + 16) : '';
      codec = CODECS[entry] ?? entry;
    }
    if (!(duration > 0) || !(width > 0)) throw new Error('MP4 has no duration or no video track');
    return { format: 'mov,mp4,m4a,3gp,3g2,mj2', duration, width, height, codec, by: 'mp4-boxes' };
  } finally {
    closeSync(fd);
  }
}
