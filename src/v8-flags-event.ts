/** Emitted on `process` just before the server changes a V8 flag; the launcher saves its code cache then. */
export const V8_FLAGS_CHANGING = 'together-video-mcp:v8-flags-changing';
