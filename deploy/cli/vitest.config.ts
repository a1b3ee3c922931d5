import { defineConfig } from 'vitest/config';

// terraform test and shellcheck are CPU-heavy on a shared 2-core machine: run
// files one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
