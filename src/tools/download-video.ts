import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { saveJobVideo } from '../jobs/save-video.js';
import { defineTool } from './define-tool.js';
import { assertVisibleJob, jobIdField } from './job-id.js';
import { type PreviewPart, previewPart } from './preview-content.js';

export const downloadVideo = defineTool({
  name: 'download_video',
  title: 'Download video',
  description: "Save a completed job's video to the output directory and show 4 of its frames.",
  kind: 'download',
  openWorld: true,
  input: {
    job_id: jobIdField,
    filename: z.string().max(200).optional().describe('Plain file name; extension set from the video.'),
    preview: z.boolean().optional().describe('false: leave the frames out.'),
  },
  output: {
    path: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    mime_type: z.string(),
    job_id: z.string(),
    file_uri: z.string(),
    resumed: z.number(),
    sandbox: z.boolean(),
    already_saved: z.boolean(),
    preview: z
      .object({
        frame_times: z.array(z.number()),
        duration_seconds: z.number(),
        width: z.number(),
        height: z.number(),
        fps: z.number(),
        codec: z.string(),
      })
      .optional(),
    preview_note: z.string().optional(),
  },
  async handle(args, ctx) {
    await assertVisibleJob(ctx.deps, args.job_id);
    const { jobId, file, alreadySaved } = await saveJobVideo(ctx.deps, args.job_id, {
      ...(args.filename !== undefined ? { filename: args.filename } : {}),
      signal: ctx.signal,
      onProgress: (received, total) => {
        if (total)
          ctx.progress.report(
            received / total,
            `downloaded ${formatBytes(received)} of ${formatBytes(total)}`,
          );
      },
    });
    const fileUri = pathToFileURL(file.path).href;
    const shown = args.preview === false ? {} : await previewPart(ctx, file.path);
    const structured = {
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      mime_type: file.mimeType,
      job_id: jobId,
      already_saved: alreadySaved,
      file_uri: fileUri,
      resumed: file.resumed,
      sandbox: ctx.deps.sandbox,
      ...(shown.preview ? { preview: shown.preview } : {}),
      ...(shown.note ? { preview_note: shown.note } : {}),
    };
    const name = file.path.split(/[\\/]/).pop() ?? file.path;
    const what = `${formatBytes(file.bytes)} ${file.mimeType}`;
    const hash = `sha256 ${file.sha256.slice(0, 12)}…`;
    const text = alreadySaved
      ? `Already saved at ${file.path} (${what}, ${hash}; checked just now). Pass a new filename to save another copy.`
      : `Saved ${what} to ${file.path} (${hash}).`;
    return {
      structured,
      text: [text, previewLine(shown), ctx.deps.sandbox ? '[sandbox]' : ''].filter(Boolean).join(' '),
      extraContent: [
        ...(shown.image ? [shown.image] : []),
        { type: 'resource_link', uri: fileUri, name, mimeType: file.mimeType, size: file.bytes },
      ],
    };
  },
});

/** What the file says it is, so a mismatch with what was asked shows; or why there is no preview. */
function previewLine({ preview, note }: PreviewPart): string {
  if (preview) {
    const times = preview.frame_times.map((t) => `${t} s`).join(', ');
    return `Preview: frames at ${times}; the file is ${preview.duration_seconds} s, ${preview.width}x${preview.height}, ${preview.fps} fps, ${preview.codec}.`;
  }
  return note ?? '';
}

/** Bytes, KB or MB, whichever reads best: a 23 KB sandbox video is not "0.0 MB". */
function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} KB`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)} MB`;
}
