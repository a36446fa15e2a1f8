// Plain JavaScript (typed by postgres-server.d.mts), so the benchmarks can start a server with node alone.
/**
 * A real PostgreSQL server for the tests and benchmarks: Debian's binaries (/usr/lib/postgresql/<v>/bin, installed
 * by .ci/run), a data folder made once by initdb and copied for each server (a copy takes
 * milliseconds, initdb a second or two), a random free port on 127.0.0.1, the unix socket in the
 * server's own temp folder. fsync is off: these databases are thrown away. PostgreSQL refuses to run
 * as root, so as root it runs as the `postgres` user.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The superuser the tests connect as; its password is what the "never in a message" tests look for. */
const ADMIN_USER = 'postgres';

/** The newest installed server's bin folder, or undefined when PostgreSQL is not installed. */
export function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/** As root: the postgres user's ids, { uid, gid } (files are chowned to it and the server runs as it). */
function runAs() {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function command(user, file, args) {
  if (!user) return [file, args];
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', file, ...args]];
}

async function ownedTempDir(prefix, user) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  if (user) await chown(dir, user.uid, user.gid);
  return dir;
}

/** A template data folder (initdb, once per test run) and the superuser's password. */
export async function initTemplate(binDir) {
  const user = runAs();
  const dir = await ownedTempDir('tvm-pg-template-', user);
  // Letters, digits and URL-special characters: an encoded password must be found in messages too.
  const password = `Pw-${randomBytes(8).toString('hex')}:s3cret`;
  const pwfile = path.join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) await chown(pwfile, user.uid, user.gid);
  const dataDir = path.join(dir, 'data');
  const [file, args] = command(user, path.join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    ADMIN_USER,
    `--pwfile=${pwfile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  await rm(pwfile);
  return { binDir, dataDir, password };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, log) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections: ${String(error)}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A server of its own on a copy of the template. */
export async function startPostgres(template) {
  const user = runAs();
  const dir = await ownedTempDir('tvm-pg-', user);
  const dataDir = path.join(dir, 'data');
  execFileSync('cp', ['-a', template.dataDir, dataDir]);
  await chmod(dataDir, 0o700);
  const port = await freePort();
  const url = (database = 'postgres') =>
    `postgres://${ADMIN_USER}:${encodeURIComponent(template.password)}@127.0.0.1:${port}/${database}`;
  let child;
  let stderr = '';
  const start = async () => {
    stderr = '';
    const [file, args] = command(user, path.join(template.binDir, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dir,
      '-h',
      '127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ]);
    const started = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child = started;
    await waitReady(url(), started, () => stderr);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const ended = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGINT');
    await ended;
  };
  await start();
  return {
    port,
    url,
    start,
    stop,
    destroy: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
