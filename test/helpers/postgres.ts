/**
 * PostgreSQL for a test file: a fresh database on the run's one server (started by postgres-global.ts),
 * or a server of its own for a test that stops and starts it. Fails, never skips, where PostgreSQL
 * is missing.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type PostgresServer, type PostgresTemplate, startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { url?: string; template?: PostgresTemplate; error?: string };
  }
}

function provided(): { url: string; template: PostgresTemplate } {
  const { url, template, error } = inject('postgres');
  if (!url || !template)
    throw new Error(error ?? 'no PostgreSQL server: is test/helpers/postgres-global.ts in vitest.config.ts?');
  return { url, template };
}

/** The superuser's password: what no message, log or /healthz answer may contain. */
export function adminPassword(): string {
  return provided().template.password;
}

/** The URL of a new, empty database on `serverUrl` (default: the run's server). */
export async function freshDatabase(serverUrl = provided().url): Promise<string> {
  const name = `tvm_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A server of this test's own (to stop and start it); destroy() it after. */
export function ownPostgres(): Promise<PostgresServer> {
  return startPostgres(provided().template);
}
