/**
 * Emitted on `process` just before the server changes a V8 flag (v8-memory.ts); the launcher
 * (launch.ts) saves its code cache then. Its own file because both bundles import it, and the
 * launcher's must stay this small.
 */
export const V8_FLAGS_CHANGING = 'together-video-mcp:v8-flags-changing';
