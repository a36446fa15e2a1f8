/**
 * The preview a download_video result carries: the contact sheet as MCP image content and its facts
 * in structuredContent. It never fails the download: without ffmpeg the result says how to enable
 * previews (once per server, so an agent is not told at every download), and a file frames cannot be
 * taken from gets a note instead of a sheet.
 */
import type { ImageContent } from '@modelcontextprotocol/server';
import { ENABLE_FRAMES } from '../frames/frame-tools.js';
import { makePreview, type PreviewFacts, previewFacts } from '../frames/video-preview.js';
import type { ToolContext } from './context.js';

export interface PreviewPart {
  /** Absent without a sheet. */
  image?: ImageContent;
  preview?: PreviewFacts;
  /** Why there is no preview, for the agent (structuredContent) and for clients that show only text. */
  note?: string;
}

export async function previewPart(ctx: ToolContext, file: string): Promise<PreviewPart> {
  const tools = await ctx.deps.frameTools();
  if (!tools)
    return ctx.deps.previewNoticeDue()
      ? { note: `No preview: ffmpeg was not found. ${ENABLE_FRAMES} (Said once.)` }
      : {};
  try {
    const made = await makePreview(tools, file, ctx.signal);
    return {
      image: { type: 'image', data: made.sheet.data.toString('base64'), mimeType: made.sheet.mimeType },
      preview: previewFacts(made),
    };
  } catch (error) {
    // The video is saved and checked: whatever went wrong with its frames is a note, not a failure.
    const message = error instanceof Error ? error.message : String(error);
    ctx.logger.warn('no preview for a saved video', { path: file, error });
    return { note: `No preview: ${message} The video itself is saved.` };
  }
}
