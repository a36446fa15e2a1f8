import { defineConfig } from 'vitest/config';

export default defineConfig({
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
