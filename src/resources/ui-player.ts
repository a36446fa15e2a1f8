/**
 * The MCP Apps player page (`ui://together-video/player.html`), served from memory: the build bundles
 * src/ui/ into one self-contained HTML string (scripts/player-html.mjs) and defines PLAYER_HTML;
 * vitest.config.ts defines it the same way for in-process tests.
 */
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { PLAYER_URI } from '../ui/player-uri.js';

declare const PLAYER_HTML: string | undefined;

/** Said instead of a page when this code runs unbuilt (tsx, a test runner without the define). */
const UNBUILT =
  '<!doctype html><meta charset="utf-8"><title>together-video player</title><p>The player is built by <code>npm run build</code>.</p>';

export function registerPlayerResource(server: McpServer): void {
  server.registerResource(
    'video-player',
    PLAYER_URI,
    {
      title: 'Video player',
      description: "Shows a video job's progress, then plays its saved clip (MCP Apps view).",
      mimeType: RESOURCE_MIME_TYPE,
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: RESOURCE_MIME_TYPE,
          text: typeof PLAYER_HTML === 'string' ? PLAYER_HTML : UNBUILT,
        },
      ],
    }),
  );
}
