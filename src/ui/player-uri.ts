/**
 * The MCP Apps view (issue 15): one `ui://` page that create_video, get_video_status and
 * download_video name in their tools/list `_meta`, so a host with the extension shows their results
 * in it. Hosts without the extension ignore the meta and see the same results as before.
 */
export const PLAYER_URI = 'ui://together-video/player.html';

/** The tools whose results the player can show. */
export const PLAYER_TOOLS: ReadonlySet<string> = new Set([
  'create_video',
  'get_video_status',
  'download_video',
]);

/** The ext-apps key (`_meta.ui.resourceUri`), without its older flat `ui/resourceUri` copy: 60 bytes a tool. */
export const PLAYER_META = { ui: { resourceUri: PLAYER_URI } } as const;
