/** The MCP Apps player page as one self-contained HTML string (see player-html.mjs). */
export function buildPlayerHtml(): Promise<string>;
export function buildPlayer(): Promise<{ html: string; inputs: string[] }>;
