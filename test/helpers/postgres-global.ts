/**
 * vitest globalSetup: one PostgreSQL server for the whole run (test/helpers/postgres.ts gives each
 * test file a database of its own on it). Where PostgreSQL is not installed the run goes on, and
 * every test that needs it fails saying so: such tests never skip (CI installs it, see .ci/run).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { initTemplate, type PostgresServer, postgresBinDir, startPostgres } from './postgres-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binDir = postgresBinDir();
  if (!binDir) {
    project.provide('postgres', {
      error:
        'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): install the postgresql package ' +
        '(apt-get install postgresql; .ci/run does it). These tests do not skip without it.',
    });
    return async () => {};
  }
  const template = await initTemplate(binDir);
  let server: PostgresServer | undefined;
  try {
    server = await startPostgres(template);
  } catch (error) {
    project.provide('postgres', { error: `PostgreSQL would not start: ${String(error)}` });
  }
  if (server) project.provide('postgres', { url: server.url(), template });
  return async () => {
    await server?.destroy();
    await rm(path.dirname(template.dataDir), { recursive: true, force: true });
  };
}
