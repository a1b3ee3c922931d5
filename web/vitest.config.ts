import { defineConfig } from 'vitest/config';

// Component tests run in jsdom. Vite 8 compiles JSX with oxc (automatic runtime), so no
// React plugin is needed (@vitejs/plugin-react requires Node >= 20.19).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    css: false,
  },
});
