import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { saveJobVideo } from '../jobs/save-video.js';
import { defineTool } from './define-tool.js';
import { assertVisibleJob, jobIdField } from './job-id.js';

export const downloadVideo = defineTool({
  name: 'download_video',
  title: 'Download video',
  description:
    "Save a completed job's video in the output directory (fresh URL each time; resumable; checked).",
  kind: 'download',
  openWorld: true,
  input: {
    job_id: jobIdField,
    filename: z
      .string()
      .max(200)
      .optional()
      .describe('Plain file name in the output directory; extension set from the video.'),
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
  },
  async handle(args, ctx) {
    await assertVisibleJob(ctx.deps, args.job_id);
    const { job, file } = await saveJobVideo(ctx.deps, args.job_id, {
      ...(args.filename !== undefined ? { filename: args.filename } : {}),
      signal: ctx.signal,
      onProgress: (received, total) => {
        if (total)
          ctx.progress.report(
            received / total,
            `downloaded ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`,
          );
      },
    });
    const fileUri = pathToFileURL(file.path).href;
    const structured = {
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      mime_type: file.mimeType,
      job_id: job.id,
      file_uri: fileUri,
      resumed: file.resumed,
      sandbox: ctx.deps.sandbox,
    };
    const name = file.path.split(/[\\/]/).pop() ?? file.path;
    return {
      structured,
      text: `Saved ${(file.bytes / 1e6).toFixed(2)} MB ${file.mimeType} to ${file.path} (sha256 ${file.sha256.slice(0, 12)}…)${ctx.deps.sandbox ? ' [sandbox]' : ''}.`,
      extraContent: [
        { type: 'resource_link', uri: fileUri, name, mimeType: file.mimeType, size: file.bytes },
      ],
    };
  },
});
