export declare function buildPlayerHtml(): Promise<string>;
