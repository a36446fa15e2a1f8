/**
 * preview_video: the preview of a saved video as an image and one line of text, with no
 * structuredContent. Claude Code handed the model only structuredContent when a result had it
 * (anthropics/claude-code#54737, fixed in 2.1.128), so download_video's image did not reach the
 * model there; this result reaches it in every client that shows images.
 */
import { previewSavedJob } from '../jobs/saved-preview.js';
import { defineContentTool } from './define-tool.js';
import { assertVisibleJob, jobIdField } from './job-id.js';

export const previewVideo = defineContentTool({
  name: 'preview_video',
  title: 'Preview video',
  description: "A saved job's video as 4 frames in one image.",
  kind: 'read-only',
  openWorld: false,
  input: { job_id: jobIdField },
  async handle(args, ctx) {
    await assertVisibleJob(ctx.deps, args.job_id);
    const { sheet, facts } = await previewSavedJob(ctx.deps, args.job_id, ctx.signal);
    return [
      { type: 'image', data: sheet.data.toString('base64'), mimeType: sheet.mimeType },
      {
        type: 'text',
        text:
          `Frames at ${sheet.times.map((t) => `${t} s`).join(', ')} (left to right, top to bottom) of a ` +
          `${facts.durationSeconds} s ${facts.width}x${facts.height} ${facts.fps} fps ${facts.codec} video.`,
      },
    ];
  },
});
