import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup-engines.ts'],
    // Each file opens its own database (PGlite in memory / a fresh Postgres database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2 shared cores: two files at a time keeps the run short without starving others.
    maxWorkers: 2,
  },
});
