// Types for player-html.mjs (plain JavaScript so the build and vitest.config can run it with node alone).
export declare function buildPlayerHtml(): Promise<string>;
export declare function buildPlayer(): Promise<{ html: string; inputs: string[] }>;
