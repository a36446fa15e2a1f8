/**
 * A fleet for e2e tests: `count` replicas of the built bin over HTTP (same env and flags, each on a
 * port of its own) behind the round-robin proxy, and what a test asks the standalone emulator and
 * each replica's /healthz.
 */
import { type RoundRobin, roundRobin } from './round-robin.js';
import { type ListeningBin, spawnHttpBin } from './spawn-bin.mjs';

export interface Fleet {
  proxy: RoundRobin;
  replicas: ListeningBin[];
  /** Every replica's stderr so far, one after another. */
  logs(): string;
  /** Stops the proxy, then each replica (SIGTERM); resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
}

export async function startFleet(
  count: number,
  env: Record<string, string>,
  args: string[] = [],
): Promise<Fleet> {
  const replicas = await Promise.all(Array.from({ length: count }, () => spawnHttpBin(env, args)));
  const proxy = await roundRobin(replicas.map((r) => r.url));
  return {
    proxy,
    replicas,
    logs: () => replicas.map((r) => r.stderr()).join('\n'),
    async stop() {
      await proxy.close();
      return Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

/** How many create requests the standalone emulator at `url` has seen since its requests were cleared. */
export async function emulatorCreates(url: string): Promise<number> {
  const seen = (await (await fetch(`${url}/__emulator/requests`)).json()) as { route: string }[];
  return seen.filter((r) => r.route === 'create').length;
}

export async function clearEmulatorRequests(url: string): Promise<void> {
  const res = await fetch(`${url}/__emulator/requests`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`could not clear the emulator's requests: ${res.status}`);
}

/** A replica's GET /healthz: the status code and the body as text (to look for secrets) and as JSON. */
export async function healthOf(replica: ListeningBin): Promise<{
  status: number;
  text: string;
  body: { status?: string; store?: { kind: string; ok: boolean } };
}> {
  const res = await fetch(replica.url.replace(/\/mcp$/, '/healthz'));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}
