/** The MCP Apps player page as one self-contained HTML string (see player-html.mjs). */
export function buildPlayerHtml(options?: { minify?: boolean }): Promise<string>;
