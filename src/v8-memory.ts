/**
 * Two V8 settings that keep the server's resident memory low, each measured by
 * bench/download-memory.mjs (a 2 GB download must peak under 100 MB).
 *
 * - undici parses HTTP with llhttp compiled to WebAssembly. Once the parser runs a few times V8
 *   re-compiles it with TurboFan in the background, and that one compile of a huge state machine
 *   takes ~35 MB for a moment and keeps ~9 MB. Liftoff code parses headers just as well, and body
 *   bytes are handed over as slices, so download throughput does not change.
 * - Each socket read gets a fresh 64 KB buffer. Once written and hashed it is garbage, but V8 only
 *   collects such buffers after ~32 MB of them pile up, so a download sat ~40 MB above idle whatever
 *   its size. A young-generation collection every MiB (well under a millisecond: the young
 *   generation holds little else) keeps that near 10 MB.
 *
 * V8 reads both flags when it needs them (at the first WebAssembly compile, when a context is
 * created), so setting each just before that first use is well defined. Not at start-up: changing
 * any flag makes V8 refuse Node's built-in code cache for modules loaded afterwards, which cost
 * ~80 ms of cold start when it was done first thing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { V8_FLAGS_CHANGING } from './v8-flags-event.js';

function setFlag(flag: string): void {
  (process as NodeJS.EventEmitter).emit(V8_FLAGS_CHANGING);
  v8.setFlagsFromString(flag);
}

type Collect = (options: { type: 'minor' | 'major' }) => void;

let tuned = false;
/** Looked up at the first download, not at start-up: a fresh context costs a little time. */
let collect: Collect | null | undefined;

let liftoff = false;

/** Called once by the bin; a process embedding the server keeps V8's defaults. */
export function tuneV8ForLowMemory(): void {
  tuned = true;
}

/** Called before undici is loaded (it compiles its HTTP parser to WebAssembly when first used). */
export function beforeFirstWasm(): void {
  if (!tuned || liftoff) return;
  liftoff = true;
  setFlag('--liftoff-only');
}

/** Frees dead transfer buffers now rather than after tens of megabytes of them pile up. */
export function collectTransferGarbage(): void {
  if (!tuned) return;
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
