import { fileURLToPath } from 'node:url';

// The monorepo root: standalone output traces workspace files (packages/shared) from here,
// so the standalone tree keeps the `web/` prefix (ERRATA 4).
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // shared is consumed as TypeScript source (no build step).
  transpilePackages: ['@monkeytown/shared'],
  // shared is ESM TypeScript with NodeNext-style `./x.js` specifiers that name `./x.ts`.
  // Turbopack cannot map those (no extensionAlias), so builds use webpack (--webpack).
  experimental: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
  reactStrictMode: true,
  poweredByHeader: false,
  // No rewrites on purpose: they are frozen at build time in standalone output. /api is
  // proxied by app/api/[...path]/route.ts, which reads GAME_SERVER_URL per request.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
