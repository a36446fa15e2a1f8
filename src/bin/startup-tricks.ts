/**
 * The one switch for the bin's start-up and memory tricks, all in this folder:
 * - the V8 code cache (launch.ts, read before the server loads; it checks the variable itself),
 * - undici loaded at the first HTTP request rather than at start-up (the `import('undici')` in
 *   together/client.ts and files/fetch-redirects.ts; the build puts it in dist/undici.cjs, so a
 *   start does not even read it),
 * - Liftoff-only and GC pacing for downloads (v8-memory.ts).
 * VIDEO_MCP_NO_STARTUP_TRICKS=1 turns them all off, so bench/ can measure each against a plain start.
 *
 * Figure (bench/cold-start.mjs, 2-core VM under load) for loading undici lazily: loaded at start-up,
 * the start went from 2.7x the raw Node responder to 3.2-3.6x (20-100 ms). With every trick off:
 * 2.5x -> 5.0x (93 -> 187 ms), and a 2 GB download peaks at 121 MB instead of 89.
 *
 * Ordering: called by cli.ts once the config is read and before the runtime starts, so the hooks
 * are in place before the first request.
 */
import type { Config } from '../config.js';
import type { RuntimeOptions } from '../runtime.js';
import { tuneV8ForLowMemory } from './v8-memory.js';

/** What the runtime is given: the downloads' GC hook, when the tricks are on. */
export async function applyStartupTricks(
  config: Pick<Config, 'startupTricks'>,
): Promise<Pick<RuntimeOptions, 'collectGarbage'>> {
  if (config.startupTricks) return { collectGarbage: tuneV8ForLowMemory() };
  // Off: undici is loaded at start-up, as a static import would.
  await import('undici');
  return {};
}
