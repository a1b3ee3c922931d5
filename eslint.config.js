// ESLint (flat config) for the whole monorepo: `npm run lint`. JavaScript's and
// typescript-eslint's recommended rules, syntax-only (no type information, so it stays
// fast on 2 cores; `npm run typecheck` is the type check).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'web/.next/**',
      'web/next-env.d.ts',
      '**/.data/**',
      'bench/results/**',
      'e2e/artifacts/**',
      'infrastructure/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Validation code matches control characters on purpose (to refuse them).
      'no-control-regex': 'off',
      // `let x!: T` wired into closures before it is assigned (start.ts) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_name` marks what is unused on purpose (a handler's request, a destructured type field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and tools read arbitrary JSON responses: `any` there is the honest type.
    files: ['**/test/**', '**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
