import { defineConfig } from 'vitest/config';

// System tests start real processes (servers, nginx, Chromium) on a 2-core machine:
// run files one at a time with generous timeouts.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'artifacts/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
