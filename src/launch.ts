/**
 * The bin: loads the bundled server (server.cjs) through a V8 code cache kept in the user's cache
 * folder, so that from the second start on V8 skips parsing and compiling ~1.5 MB of JavaScript,
 * which was most of the time before a client saw the tools (bench/cold-start.mjs). This is what
 * Node 22's module.enableCompileCache() does; Node 20 lacks it.
 *
 * The cache is keyed by Node version, architecture and the bundle's size and mtime, V8 checks it
 * again (and rejects a stale one), it lives in a folder only this user can write, and any failure
 * to read or write it just means a normal, slower start.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { V8_FLAGS_CHANGING } from './v8-flags-event.js';

const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server.cjs');
/** Late enough that start-up and the first requests have compiled what they use. */
const WRITE_AFTER_MS = 3_000;

function cacheFile(): string | undefined {
  try {
    const { size, mtimeMs } = statSync(bundle);
    const dir = path.join(os.homedir(), '.cache', 'together-video-mcp');
    return path.join(dir, `v8-${process.version}-${process.arch}-${size}-${Math.round(mtimeMs)}.bin`);
  } catch {
    return undefined;
  }
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, script: vm.Script): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A read-only home or a full disk: the next start compiles again, nothing else changes.
  }
}

const file = cacheFile();
const cachedData = readCache(file);
const source = readFileSync(bundle, 'utf8');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
if (file && (!cachedData || script.cachedDataRejected)) {
  let written = false;
  const save = (): void => {
    if (written) return;
    written = true;
    writeCache(file, script);
  };
  setTimeout(save, WRITE_AFTER_MS).unref();
  // A short-lived run (a client that lists the tools and quits) still leaves the cache behind.
  process.once('exit', save);
  // V8 stamps a cache with the flags in force; saved after the server changes one (v8-memory.ts),
  // it would be refused at every start, so it is saved just before.
  process.once(V8_FLAGS_CHANGING, save);
}
const module = { exports: {} };
const main = script.runInThisContext() as (
  exports: object,
  require: NodeJS.Require,
  module: object,
  filename: string,
  dirname: string,
) => void;
main(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
