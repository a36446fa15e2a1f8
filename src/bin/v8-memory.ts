/**
 * Two V8 settings that keep the server's resident memory low during a download.
 *
 * - undici parses HTTP with llhttp compiled to WebAssembly. Once the parser runs a few times V8
 *   re-compiles it with TurboFan in the background, and that one compile of a huge state machine
 *   takes ~35 MB for a moment and keeps ~9 MB. Liftoff code parses headers just as well, and body
 *   bytes are handed over as slices, so download throughput does not change.
 * - Each socket read gets a fresh 64 KB buffer. Once written and hashed it is garbage, but V8 only
 *   collects such buffers after ~32 MB of them pile up, so a download sat ~40 MB above idle whatever
 *   its size. A young-generation collection every 4 MiB written (well under a millisecond: the young
 *   generation holds little else) keeps that near 10 MB. The download runs it through its
 *   `collectGarbage` option; embedders and tests pass none.
 *
 * Figures (bench/download-memory.mjs, peak RSS for a 2 GB download): 89 MB with both, 120 MB
 * without Liftoff-only, 118 MB without the collections, 121-140 MB with neither (the target is 100).
 *
 * Ordering: each flag is set just before its first use, never at start-up: changing any flag makes
 * V8 refuse Node's built-in code cache for modules loaded afterwards (~80 ms of cold start when it
 * was done first thing), and the launcher must save its own cache first (V8_FLAGS_CHANGING).
 * `--liftoff-only` goes in as undici opens its first connection, which is when it compiles the
 * parser (its `undici:client:beforeConnect` diagnostics channel); `--expose-gc` at the first
 * collection, since the fresh context that reads `gc` costs a little time.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import v8 from 'node:v8';
import vm from 'node:vm';
import { V8_FLAGS_CHANGING } from './v8-flags-event.js';

const FIRST_CONNECT = 'undici:client:beforeConnect';

function setFlag(flag: string): void {
  (process as NodeJS.EventEmitter).emit(V8_FLAGS_CHANGING);
  v8.setFlagsFromString(flag);
}

function liftoffOnly(): void {
  diagnosticsChannel.unsubscribe(FIRST_CONNECT, liftoffOnly);
  setFlag('--liftoff-only');
}

type Collect = (options: { type: 'minor' | 'major' }) => void;

/** Looked up at the first collection; null when V8 would not give it. */
let collect: Collect | null | undefined;

/** Frees dead transfer buffers now rather than after tens of megabytes of them pile up. */
function collectTransferGarbage(): void {
  if (collect === undefined) {
    try {
      setFlag('--expose-gc');
      const fn: unknown = vm.runInNewContext('gc');
      collect = typeof fn === 'function' ? (fn as Collect) : null;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}

/** Called once by the bin: Liftoff from undici's first connection on; answers the downloads' GC hook. */
export function tuneV8ForLowMemory(): () => void {
  diagnosticsChannel.subscribe(FIRST_CONNECT, liftoffOnly);
  return collectTransferGarbage;
}
