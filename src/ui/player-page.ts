/**
 * The player page's text. The build makes this module a file of its own (dist/player.cjs, with
 * PLAYER_HTML defined by scripts/player-html.mjs), loaded at the first read of the page: a start
 * never reads the page's bytes. vitest.config.ts defines PLAYER_HTML the same way for tests.
 */
declare const PLAYER_HTML: string | undefined;

/** Said instead of a page when this code runs unbuilt (tsx, a test runner without the define). */
const UNBUILT =
  '<!doctype html><meta charset="utf-8"><title>together-video player</title><p>The player is built by <code>npm run build</code>.</p>';

export const playerHtml: string = typeof PLAYER_HTML === 'string' ? PLAYER_HTML : UNBUILT;
