import { defineConfig } from 'vitest/config';

// Component tests run in jsdom. JSX is compiled by esbuild (automatic runtime), so no
// React plugin is needed (@vitejs/plugin-react requires Node >= 20.19).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    css: false,
  },
});
