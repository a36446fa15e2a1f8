/** The MCP Apps player page (`ui://together-video/player.html`): one self-contained HTML file. */
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { PLAYER_URI } from '../ui/player-uri.js';

export function registerPlayerResource(server: McpServer): void {
  server.registerResource(
    'video-player',
    // A template of one URI, with no list: hosts find the page by the tools' _meta, and resources/list
    // stays the caller's jobs, as for clients without MCP Apps.
    new ResourceTemplate(PLAYER_URI, { list: undefined }),
    {
      title: 'Video player',
      description: "Shows a video job's progress, then plays its saved clip (MCP Apps view).",
      mimeType: RESOURCE_MIME_TYPE,
    },
    async (uri) => {
      // Loaded when first asked for (the bin's dist/player.cjs, see player-page.ts).
      const { playerHtml } = await import('../ui/player-page.js');
      return { contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: playerHtml }] };
    },
  );
}
