/**
 * Continuing from a frame, end to end through the SDK client against the emulator: `job:<id>#last-frame`
 * (and `#first-frame`, `#t=`) becomes the first keyframe of the next job, taken from the earlier job's
 * saved file (downloaded first when needed). Which frame was sent is checked against every frame of the
 * clip, decoded by the system's ffmpeg on its own: the sent JPEG must look most like the frame asked for.
 * Bad fragments, frames where a video belongs and a server without ffmpeg are refused before anything
 * is sent.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFrameTools } from '../../src/frames/frame-tools.js';
import { probeVideo } from '../../src/frames/probe.js';
import { JobLedger } from '../../src/jobs/ledger.js';
import { creates, type Harness, startHarness, structured, textOf } from '../helpers/harness.js';
import { startHttpHarness, TOKEN_A, TOKEN_B } from '../helpers/http-harness.js';
import { EDIT_MODEL, FRAME_MODEL } from '../helpers/inputs.js';

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  for (let i = 2; i < data.length; ) {
    const marker = data[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc2)
      return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
    i += 2 + data.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}

/** Every frame of a video (or the one frame of an image) as 8-bit grey pixels, decoded by ffmpeg. */
function greyFrames(input: string | Buffer, width: number, height: number): Buffer[] {
  const source = typeof input === 'string' ? input : 'pipe:0';
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      source,
      '-vf',
      `scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024, ...(typeof input === 'string' ? {} : { input }) },
  );
  const size = width * height;
  return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

const meanDifference = (a: Buffer, b: Buffer): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
};

/** The index of the clip's frame the image looks most like. */
function closestFrame(image: Buffer, frames: Buffer[], width: number, height: number): number {
  const [grey] = greyFrames(image, width, height);
  if (!grey) throw new Error('the image did not decode');
  const diffs = frames.map((f) => meanDifference(grey, f));
  return diffs.indexOf(Math.min(...diffs));
}

interface CreateBody {
  media?: { frame_images?: { input_image: string; frame?: string }[]; reference_images?: string[] };
}

describe('job:<id>#last-frame, #first-frame and #t= as image inputs', () => {
  let h: Harness;
  let done: string;
  beforeAll(async () => {
    if (!(await findFrameTools(undefined)))
      throw new Error('ffmpeg and ffprobe are needed for these tests: apt-get install ffmpeg');
    h = await startHarness();
    const made = structured<{ job_id: string; status: string }>(
      await h.call('create_video', { ...FRAME_MODEL, wait_seconds: 30 }),
    );
    expect(made.status).toBe('completed');
    done = made.job_id;
  });
  afterAll(async () => {
    await h.close();
  });

  const lastCreate = (): CreateBody =>
    h.emulator.requests.filter((r) => r.route === 'create').at(-1)?.body as CreateBody;
  /** Video files fetched (a /shrt/ link redirects to one). */
  const downloads = (): number => h.emulator.requests.filter((r) => r.path.startsWith('/files/')).length;
  const withKeyframe = (ref: string) => ({
    ...FRAME_MODEL,
    media: { frame_images: [{ input_image: ref, frame: 'first' }] },
  });

  it("downloads a job not saved yet and sends its last frame as the next job's first keyframe", async () => {
    const ledger = new JobLedger(h.stateDir);
    expect((await ledger.get(done))?.file_path).toBeUndefined();
    const before = downloads();
    const next = await h.call('create_video', withKeyframe(`job:${done}#last-frame`));
    expect(next.isError, textOf(next)).toBeFalsy();
    expect(downloads()).toBe(before + 1);
    const saved = (await new JobLedger(h.stateDir).get(done))?.file_path;
    expect(saved && path.dirname(saved)).toBe(h.outputDir);

    const keyframe = lastCreate().media?.frame_images?.[0];
    expect(keyframe?.frame).toBe('first');
    // Sent as local images are: base64 of the file's bytes (here a JPEG).
    const sent = Buffer.from(keyframe?.input_image ?? '', 'base64');
    expect(sent.toString('base64')).toBe(keyframe?.input_image);
    const tools = await findFrameTools(undefined);
    if (!tools) throw new Error('ffmpeg is needed');
    const { width, height } = await probeVideo(tools, `${saved}`);
    expect(jpegSize(sent)).toEqual({ width, height });
    const frames = greyFrames(`${saved}`, width, height);
    expect(frames.length).toBeGreaterThan(10);
    expect(closestFrame(sent, frames, width, height)).toBeGreaterThanOrEqual(frames.length - 2);
    // The clip moves: its first frame is not its last, so the check above can tell them apart.
    expect(meanDifference(frames[0] ?? Buffer.alloc(0), frames.at(-1) ?? Buffer.alloc(0))).toBeGreaterThan(5);

    // The ledger keeps the reference as given, not the image.
    const nextId = structured<{ job_id: string }>(next).job_id;
    expect(JSON.stringify((await new JobLedger(h.stateDir).get(nextId))?.params)).toContain(
      `job:${done}#last-frame`,
    );
  });

  it('takes #first-frame and #t=<seconds> from the saved file without downloading it again', async () => {
    await h.call('download_video', { job_id: done });
    const saved = `${(await new JobLedger(h.stateDir).get(done))?.file_path}`;
    const before = downloads();
    const result = await h.call('create_video', {
      ...FRAME_MODEL,
      media: {
        frame_images: [
          { input_image: `job:${done}#first-frame`, frame: 'first' },
          { input_image: `job:${done}#t=1`, frame: 'last' },
        ],
      },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(downloads()).toBe(before);
    const [first, atOne] = (lastCreate().media?.frame_images ?? []).map((f) =>
      Buffer.from(f.input_image, 'base64'),
    );
    const { width, height } = jpegSize(first ?? Buffer.alloc(0));
    const frames = greyFrames(saved, width, height);
    expect(closestFrame(first ?? Buffer.alloc(0), frames, width, height)).toBeLessThanOrEqual(1);
    // 1 s into a 24 fps clip is frame 24.
    expect(Math.abs(closestFrame(atOne ?? Buffer.alloc(0), frames, width, height) - 24)).toBeLessThanOrEqual(
      1,
    );
  });

  it('downloads a job once when two of its frames are asked for in one call', async () => {
    const fresh = structured<{ job_id: string }>(
      await h.call('create_video', { ...FRAME_MODEL, wait_seconds: 30 }),
    ).job_id;
    const before = downloads();
    const result = await h.call('create_video', {
      ...FRAME_MODEL,
      media: {
        frame_images: [
          { input_image: `job:${fresh}#first-frame`, frame: 'first' },
          { input_image: `job:${fresh}#last-frame`, frame: 'last' },
        ],
      },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(downloads()).toBe(before + 1);
    const sent = lastCreate().media?.frame_images?.map((f) => f.input_image) ?? [];
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toBe(sent[1]);
  });

  it('sends a frame as a reference image too', async () => {
    const result = await h.call('create_video', {
      model: 'vidu/vidu-2.0',
      prompt: 'the same character, new scene',
      wait_seconds: 0,
      media: { reference_images: [`job:${done}#last-frame`] },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const sent = Buffer.from(lastCreate().media?.reference_images?.[0] ?? '', 'base64');
    expect(jpegSize(sent).width).toBeGreaterThan(0);
  });

  const refusals: [string, () => Record<string, unknown>, RegExp, RegExp][] = [
    [
      'a time that is not a number',
      () => withKeyframe(`job:${done}#t=abc`),
      /media\.frame_images\[0\]\.input_image: #t= takes the seconds into the clip as a plain number/,
      /got "abc"/,
    ],
    [
      'a time before the start',
      () => withKeyframe(`job:${done}#t=-1`),
      /media\.frame_images\[0\]\.input_image: asks for the frame at -1 s, before the clip starts/,
      /Nearest valid: job:.*#first-frame/,
    ],
    [
      'a time past the end (refused, not clamped)',
      () => withKeyframe(`job:${done}#t=99`),
      /media\.frame_images\[0\]\.input_image: job:.*#t=99 is past the end: the video of job .* is 2 s long\. Give a time from 0 to 2/,
      /Nearest valid: job:.*#last-frame/,
    ],
    [
      '#last, naming the fragment meant',
      () => withKeyframe(`job:${done}#last`),
      /"#last" names no frame; .*#last-frame, #first-frame or #t=<seconds>/,
      /Nearest valid: job:.*#last-frame\./,
    ],
    [
      '#t=1.5s, naming the time meant',
      () => withKeyframe(`job:${done}#t=1.5s`),
      /#t= takes the seconds into the clip/,
      /Nearest valid: job:.*#t=1\.5\./,
    ],
    [
      'a frame where a video belongs',
      () => ({ ...EDIT_MODEL, media: { source_video: `job:${done}#last-frame` } }),
      /media\.source_video: is one frame of job .* \(an image\), but this field takes a video: job:<id> alone passes the whole clip/,
      /Nearest valid: job:[^#\s]*\./,
    ],
    [
      'a whole job where an image belongs, pointing to its frames',
      () => withKeyframe(`job:${done}`),
      /job:<id> stands for a video, but this field takes image\. For one frame of it, add #last-frame/,
      /Nearest valid: job:.*#last-frame\./,
    ],
    [
      'a frame of a job nobody made',
      () => withKeyframe('job:no-such-job#last-frame'),
      /media\.frame_images\[0\]\.input_image: No video job with id "no-such-job" exists/,
      /.*/,
    ],
  ];
  for (const [name, args, field, hint] of refusals) {
    it(`refuses ${name}, before anything is sent`, async () => {
      const before = creates(h.emulator);
      const result = await h.call('create_video', args());
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(field);
      expect(textOf(result)).toMatch(hint);
      expect(textOf(result)).toMatch(/Nothing was sent to Together and nothing was charged/);
      expect(creates(h.emulator)).toBe(before);
    });
  }

  it('advises the frame syntax when an agent names an earlier job in a field of its own', async () => {
    const refused = async (args: Record<string, unknown>): Promise<string> => {
      const before = creates(h.emulator);
      const result = await h.call('create_video', { prompt: 'the next shot', wait_seconds: 0, ...args });
      expect(result.isError).toBe(true);
      expect(creates(h.emulator)).toBe(before);
      return textOf(result);
    };
    const frame = `"input_image": "job:${done}#last-frame", "frame": "first"`;
    expect(await refused({ model: FRAME_MODEL.model, image: `job:${done}` })).toContain(
      `- image: unknown field; use media.frame_images: [{${frame}}].`,
    );
    expect(await refused({ model: FRAME_MODEL.model, continue_from: `job:${done}` })).toContain(
      `- continue_from: unknown field; use media.frame_images: [{${frame}}] (from its last frame).`,
    );
    expect(await refused({ model: 'Wan-AI/wan2.7-i2v', extend: done })).toContain(
      `- extend: unknown field; use media.frame_videos: [{"video": "job:${done}"}] (the whole clip), or media.frame_images: [{${frame}}] (from its last frame).`,
    );
    expect(
      await refused({ model: 'Wan-AI/wan2.7-i2v', media: { video: `job:${done}#last-frame` } }),
    ).toContain(`- media.video: unknown field; use media.frame_videos: [{"video": "job:${done}"}].`);
    expect(await refused({ model: 'Wan-AI/wan2.7-t2v', previous_job: done })).toMatch(
      /- previous_job: unknown field; Wan-AI\/wan2\.7-t2v cannot continue a clip: it takes neither a video to continue nor a first keyframe\. Models that do: /,
    );
  });

  it('list_video_models shows where each model takes an earlier job', async () => {
    const listed = structured<{ models: { id: string; from_job: string[] }[] }>(
      await h.call('list_video_models', { query: 'wan2.7' }),
    );
    const byId = new Map(listed.models.map((m) => [m.id, m.from_job]));
    expect(byId.get('Wan-AI/wan2.7-i2v')).toContain('frame_videos: job:<id> (continues the clip)');
    expect(byId.get('Wan-AI/wan2.7-i2v')).toContain('frame_images, frame "first": job:<id>#last-frame');
    expect(byId.get('Wan-AI/wan2.7-videoedit')).toContain('source_video: job:<id> (edits the clip)');
    expect(byId.get('Wan-AI/wan2.7-t2v')).toEqual([]);
  });

  it('refuses a frame of a job still running, saying to wait', async () => {
    const running = structured<{ job_id: string }>(await h.call('create_video', FRAME_MODEL)).job_id;
    const before = creates(h.emulator);
    const result = await h.call('create_video', withKeyframe(`job:${running}#last-frame`));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/has no video to take a frame from.*not completed yet.*get_video_status/);
    expect(creates(h.emulator)).toBe(before);
  });
});

describe('job: frame references on a model outside the registry', () => {
  it('checks the fragment at resolution, where validation did not run', async () => {
    const h = await startHarness({ app: { allowUnknownModels: true } });
    try {
      const before = creates(h.emulator);
      const result = await h.call('create_video', {
        model: 'acme/new-video-model',
        prompt: 'next shot',
        wait_seconds: 0,
        media: { frame_images: [{ input_image: 'job:abc#end', frame: 'first' }] },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /media\.frame_images\[0\]\.input_image: "#end" names no frame.*Nearest valid: job:abc#last-frame\./,
      );
      expect(creates(h.emulator)).toBe(before);
    } finally {
      await h.close();
    }
  });
});

describe('job:<id>#last-frame without ffmpeg', () => {
  it('says how to enable frames, and sends nothing', async () => {
    const h = await startHarness({ app: { frameTools: () => findFrameTools('/nonexistent/ffmpeg') } });
    try {
      const made = structured<{ job_id: string }>(
        await h.call('create_video', { ...FRAME_MODEL, wait_seconds: 30 }),
      );
      const before = {
        creates: creates(h.emulator),
        files: (await new JobLedger(h.stateDir).get(made.job_id))?.file_path,
      };
      const result = await h.call('create_video', {
        ...FRAME_MODEL,
        media: { frame_images: [{ input_image: `job:${made.job_id}#last-frame`, frame: 'first' }] },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /media\.frame_images\[0\]\.input_image: job:.*#last-frame needs ffmpeg to take the frame, and this server has none\. Install ffmpeg .*VIDEO_MCP_FFMPEG/,
      );
      expect(creates(h.emulator)).toBe(before.creates);
      // Nothing was downloaded for a frame that could not be taken.
      expect((await new JobLedger(h.stateDir).get(made.job_id))?.file_path).toBe(before.files);
    } finally {
      await h.close();
    }
  });
});

describe('job:<id>#last-frame over HTTP with tokens', () => {
  it("lets a token take frames of its own jobs only, and downloads nothing for another's", async () => {
    const h = await startHttpHarness({ http: { tokens: [TOKEN_A, TOKEN_B] } });
    try {
      const a = await h.connectAs('2025', TOKEN_A);
      const b = await h.connectAs('2025', TOKEN_B);
      const job = structured<{ job_id: string }>(
        await a.call('create_video', { ...FRAME_MODEL, wait_seconds: 30 }),
      ).job_id;
      const ref = { ...FRAME_MODEL, media: { frame_images: [{ input_image: `job:${job}#last-frame` }] } };
      const before = creates(h.emulator);
      const refused = await b.call('create_video', ref);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(
        /media\.frame_images\[0\]\.input_image: No video job with id .* exists for this token/,
      );
      expect(creates(h.emulator)).toBe(before);
      expect(h.emulator.requests.filter((r) => r.route === 'download')).toHaveLength(0);

      const own = await a.call('create_video', ref);
      expect(own.isError, textOf(own)).toBeFalsy();
      expect(creates(h.emulator)).toBe(before + 1);
    } finally {
      await h.close();
    }
  });
});
