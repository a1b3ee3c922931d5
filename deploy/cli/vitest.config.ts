import { defineConfig } from 'vitest/config';

// terraform test and shellcheck are CPU-heavy on a shared 2-core machine: run
// files one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The SDK warns once per process that its 2027 releases need Node 22; tests run on Node 20 by design.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
