/**
 * undici, loaded at the first HTTP request instead of at start-up: evaluating it is a good part of a
 * cold start and ~18 MB of memory that a server only asked for tools/list never needs. It is also
 * the moment, before undici compiles its WebAssembly parser, to apply the setting in v8-memory.ts.
 */
import { beforeFirstWasm } from './v8-memory.js';

type Undici = typeof import('undici');

let loading: Promise<Undici> | undefined;

export function loadUndici(): Promise<Undici> {
  if (!loading) {
    beforeFirstWasm();
    loading = import('undici');
  }
  return loading;
}
