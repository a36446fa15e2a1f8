import { defineConfig } from 'vitest/config';
import { buildPlayerHtml } from './scripts/player-html.mjs';

export default defineConfig({
  // The player page as the bin serves it (src/resources/ui-player.ts), built from src/ui/.
  define: { PLAYER_HTML: JSON.stringify(await buildPlayerHtml()) },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most tests wait on child processes, sockets and timers rather than the CPU: two files at once
    // on a 2-core machine (vitest's default there is one) halves the run without starving them.
    maxWorkers: 2,
    // One PostgreSQL server for the run (test/helpers/postgres.ts).
    globalSetup: ['test/helpers/postgres-global.ts'],
  },
});
