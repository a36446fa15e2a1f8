// The MCP Apps player as one self-contained HTML string: src/ui/player.ts bundled for the browser
// (with the ext-apps App it imports) and src/ui/player.css, inlined into src/ui/player.html. Hosts
// show the page in a sandboxed frame that may load nothing else, so nothing is fetched from a CDN.
// Used by scripts/build.mjs (the PLAYER_HTML define) and vitest.config.ts (the same define in tests).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ui = (name) => path.join(root, 'src', 'ui', name);

/** The page's text. */
export async function buildPlayerHtml() {
  return (await buildPlayer()).html;
}

/** The page's text and the files bundled into it (their packages' licences go in THIRD_PARTY_LICENSES). */
export async function buildPlayer() {
  const [template, css, out] = await Promise.all([
    readFile(ui('player.html'), 'utf8'),
    readFile(ui('player.css'), 'utf8'),
    build({
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
    }),
  ]);
  // A literal "</script" or "</style" inside would end the inline element early.
  const js = out.outputFiles[0].text.replaceAll('</script', '<\\/script');
  const html = template
    .replace('/*__PLAYER_CSS__*/', () => css.replaceAll('</style', '<\\/style'))
    .replace('/*__PLAYER_JS__*/', () => js);
  const inputs = Object.keys(out.metafile.inputs);
  return { html, inputs };
}
