/**
 * `together-video-mcp import-ledger`: copies the state dir's job ledger (jobs.jsonl) into the
 * PostgreSQL database of VIDEO_MCP_DATABASE_URL, so a server moving to replicas keeps every job it
 * knew (status, download, `job:` inputs, spend). Idempotent: a second run writes nothing, and a record
 * the database has newer is kept.
 */
import { ConfigError, loadConfig } from './config.js';
import { JobLedger } from './jobs/ledger.js';
import type { Logger } from './log.js';

export async function importLedger(overrides: { databaseUrl?: string }, logger: Logger): Promise<string> {
  const config = loadConfig(process.env, overrides);
  if (!config.databaseUrl)
    throw new ConfigError(
      'import-ledger needs VIDEO_MCP_DATABASE_URL (or --database-url): where to copy the jobs to.',
    );
  const ledger = new JobLedger(config.stateDir, logger.child({ component: 'ledger' }));
  const jobs = await ledger.all();
  const { openPgStore, describeDatabase } = await import('./jobs/pg-store.js');
  const store = await openPgStore({
    url: config.databaseUrl,
    logger: logger.child({ component: 'store' }),
    replicaId: `import:${process.pid}`,
  });
  try {
    const written = await store.importJobs(jobs);
    return `Imported ${jobs.length} jobs from ${ledger.file} into ${describeDatabase(config.databaseUrl)}: ${written} written, ${jobs.length - written} already there.`;
  } finally {
    await store.close();
  }
}
