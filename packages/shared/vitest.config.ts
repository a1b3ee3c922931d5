import { defineConfig } from 'vitest/config';

// Engine and AI tests. The agent-vs-agent files are CPU-bound (real searches), so they
// get generous timeouts; their game counts are sized to keep the whole run well under
// a minute on two busy cores. The large ladder lives in bench/ai/ladder.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-engines.ts'],
    testTimeout: 120_000,
    // The default is cpus - 1 (one worker on a 2-core box); two workers let the long
    // Champion-vs-Lemur match run beside the other files.
    maxWorkers: 2,
    hookTimeout: 30_000,
  },
});
