/**
 * The bin (dist/cli.js): loads the bundled server (server.cjs) through a V8 code cache kept in the
 * user's cache folder, so that from the second start on V8 skips parsing and compiling ~1.5 MB of
 * JavaScript. This is what Node 22's module.enableCompileCache() does; Node 20 lacks it.
 *
 * Figure (bench/cold-start.mjs, spawn to tools/list, 2-core VM under load): without the cache the
 * start went from 2.7x the raw Node responder to 3.7-4.3x (about +60 ms).
 *
 * Ordering: this runs before any of the server and must save the cache before the server changes a
 * V8 flag (v8-memory.ts announces it with V8_FLAGS_CHANGING): V8 stamps a cache with the flags in
 * force, and one saved after a change would be refused at every start.
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
import { ON_WORDS } from '../on-off.js';
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

// VIDEO_MCP_NO_STARTUP_TRICKS (env-vars.ts) read here too, before config exists: the launcher
// must not load zod to parse it. A value config would refuse still fails the start, there.
const tricksOff = ON_WORDS.includes((process.env.VIDEO_MCP_NO_STARTUP_TRICKS ?? '').trim().toLowerCase());
const file = tricksOff ? undefined : cacheFile();
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
