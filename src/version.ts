import pkg from '../package.json' with { type: 'json' };

export const SERVER_NAME = 'together-video-mcp';
export const VERSION: string = pkg.version;
