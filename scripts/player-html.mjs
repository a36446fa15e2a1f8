// The MCP Apps player as one self-contained HTML string: src/ui/player.ts bundled for the browser
// (with the ext-apps App it imports) and src/ui/player.css, inlined into src/ui/player.html. Hosts
// show the page in a sandboxed frame that may load nothing else, so nothing is fetched from a CDN.
// Used by scripts/build.mjs (the PLAYER_HTML define) and vitest.config.ts (the same define in tests).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ui = (name) => path.join(root, 'src', 'ui', name);

// Until src/ui/player.html exists: a page built the same way, so the resource and its tests stand.
const PLACEHOLDER =
  '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Together video player</title>\n</head>\n<body>\n<main id="app">Video player</main>\n</body>\n</html>\n';

/** The page's text. */
export async function buildPlayerHtml() {
  return (await buildPlayer()).html;
}

/** The page's text and the files bundled into it (their packages' licences go in THIRD_PARTY_LICENSES). */
export async function buildPlayer() {
  let html = existsSync(ui('player.html')) ? await readFile(ui('player.html'), 'utf8') : PLACEHOLDER;
  const css = existsSync(ui('player.css')) ? await readFile(ui('player.css'), 'utf8') : '';
  let js = '';
  let inputs = [];
  if (existsSync(ui('player.ts'))) {
    const out = await build({
      entryPoints: [ui('player.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      metafile: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    js = out.outputFiles[0].text;
    inputs = Object.keys(out.metafile.inputs);
  }
  // Whatever the page links to its own script and style is replaced by the inlined copies.
  html = html
    .replace(/<link\b[^>]*\bhref=["'][^"']*player\.css["'][^>]*>\s*/gi, '')
    .replace(/<script\b[^>]*\bsrc=["'][^"']*player\.(?:ts|js)["'][^>]*>\s*<\/script>\s*/gi, '');
  if (css)
    html = insertBefore(html, '</head>', `<style>\n${css.replace(/<\/style/gi, '<\\/style')}</style>\n`);
  if (js)
    html = insertBefore(html, '</body>', `<script>\n${js.replace(/<\/script/gi, '<\\/script')}</script>\n`);
  return { html, inputs };
}

function insertBefore(html, tag, text) {
  const at = html.toLowerCase().lastIndexOf(tag);
  if (at < 0) throw new Error(`src/ui/player.html has no ${tag}`);
  return html.slice(0, at) + text + html.slice(at);
}
