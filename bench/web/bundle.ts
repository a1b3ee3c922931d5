// First-load JavaScript per route, from the Next build in web/.next: the root chunks every
// page loads (build-manifest rootMainFiles) plus the chunks of the client components the
// route references (its client-reference manifest). Polyfills are left out: only browsers
// without ES modules load them. Sizes are raw and gzip (-6), as a CDN would serve them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

export interface RouteJs {
  route: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
  /** Bytes only this route needs (beyond the shared root chunks), gzip. */
  ownGzipBytes: number;
}

interface ClientRefManifest {
  clientModules: Record<string, { chunks: string[] }>;
}

function manifestsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...manifestsUnder(p));
    else if (e === 'page_client-reference-manifest.js') out.push(p);
  }
  return out;
}

/** The manifest is a script assigning globalThis.__RSC_MANIFEST[route]: run it in a sandbox. */
function readClientManifest(file: string): [string, ClientRefManifest] {
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, ClientRefManifest> } = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { timeout: 1000 });
  const [route, manifest] = Object.entries(sandbox.__RSC_MANIFEST ?? {})[0] ?? [];
  if (!route || !manifest) throw new Error(`no manifest in ${file}`);
  return [route, manifest];
}

export function firstLoadJs(webDir: string): RouteJs[] {
  const next = path.join(webDir, '.next');
  if (!existsSync(path.join(next, 'build-manifest.json'))) throw new Error(`${next} has no build: run \`npm run build -w web\``);
  const build = JSON.parse(readFileSync(path.join(next, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const size = (rel: string) => {
    let s = sizes.get(rel);
    if (!s) {
      const buf = readFileSync(path.join(next, rel));
      s = { raw: buf.length, gzip: gzipSync(buf, { level: 6 }).length };
      sizes.set(rel, s);
    }
    return s;
  };
  const root = new Set(build.rootMainFiles);
  const rootGzip = [...root].reduce((a, f) => a + size(f).gzip, 0);
  const rows: RouteJs[] = [];
  for (const file of manifestsUnder(path.join(next, 'server/app'))) {
    const [route, manifest] = readClientManifest(file);
    if (route.startsWith('/_')) continue; // Next's own error pages
    const files = new Set(root);
    for (const mod of Object.values(manifest.clientModules)) {
      // chunks alternate [id, file, id, file, ...]; files are relative to /_next/.
      for (const c of mod.chunks) if (c.endsWith('.js')) files.add(decodeURIComponent(c.replace(/^\/?_next\//, '')));
    }
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const s = size(f);
      raw += s.raw;
      gzip += s.gzip;
    }
    rows.push({ route: route.replace(/\/page$/, '') || '/', files: files.size, rawBytes: raw, gzipBytes: gzip, ownGzipBytes: gzip - rootGzip });
  }
  return rows.sort((a, b) => a.route.localeCompare(b.route));
}
