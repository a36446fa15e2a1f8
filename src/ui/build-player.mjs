// Builds the player view into one self-contained HTML string (script and css inlined, nothing fetched):
// used by scripts/build.mjs for the PLAYER_HTML define and by the browser tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/** @returns {Promise<string>} */
export async function buildPlayerHtml() {
  const [html, css, bundle] = await Promise.all([
    readFile(here('./player.html'), 'utf8'),
    readFile(here('./player.css'), 'utf8'),
    build({
      entryPoints: [here('./player.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    }),
  ]);
  const js = bundle.outputFiles[0]?.text ?? '';
  // A literal "</script" inside the bundle would end the inline script early.
  const safeJs = js.replaceAll('</script', '<\\/script');
  return html.replace('/*__PLAYER_CSS__*/', () => css).replace('/*__PLAYER_JS__*/', () => safeJs);
}
