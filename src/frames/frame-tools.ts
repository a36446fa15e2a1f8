/**
 * Where ffmpeg and ffprobe are: VIDEO_MCP_FFMPEG (the ffmpeg binary; ffprobe beside it), else both on
 * PATH. Frames (previews, `job:<id>#last-frame`) need them; nothing else does, so a server without
 * them works and says how to enable frames.
 *
 * No npm package supplies them: ffmpeg-static downloads its binary at install time (not allowed
 * here, and often blocked in companies), and @ffmpeg-installer/ffmpeg, which ships binaries inside
 * npm packages, has not been updated since 2021 (ffmpeg 4.1). A system ffmpeg is kept up to date
 * by the system's package manager.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export interface FrameTools {
  ffmpeg: string;
  ffprobe: string;
}

/** What a user does to enable frames, said once wherever they are missing. */
export const ENABLE_FRAMES =
  'Install ffmpeg (it comes with ffprobe; e.g. `apt-get install ffmpeg`, `brew install ffmpeg`, `winget install ffmpeg`) ' +
  'or set VIDEO_MCP_FFMPEG to the ffmpeg binary, then restart the server.';

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name);

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, pathEnv: string): Promise<string | undefined> {
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, exe(name));
    if (await executable(file)) return file;
  }
  return undefined;
}

/** The tools, or undefined when either is missing. Looked up once per server (a few stat calls). */
export async function findFrameTools(
  ffmpegSetting: string | undefined,
  pathEnv: string = process.env.PATH ?? '',
): Promise<FrameTools | undefined> {
  if (ffmpegSetting) {
    const ffprobe = path.join(path.dirname(ffmpegSetting), exe('ffprobe'));
    if ((await executable(ffmpegSetting)) && (await executable(ffprobe)))
      return { ffmpeg: ffmpegSetting, ffprobe };
    return undefined;
  }
  const [ffmpeg, ffprobe] = await Promise.all([onPath('ffmpeg', pathEnv), onPath('ffprobe', pathEnv)]);
  return ffmpeg && ffprobe ? { ffmpeg, ffprobe } : undefined;
}
