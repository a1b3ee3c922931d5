// A V8 .cpuprofile read by source file: the bundle's frames mapped back through its
// source map (server/src/…, packages/shared/src/…), npm packages by name, node's own
// modules, GC. Three views, each in µs over a time window: self time per file; self time
// charged to the nearest frame of ours (native writes, npm and node work → the file of
// ours that asked for it); and inclusive time per file (a sample counts once for every
// file on its stack). Used by bench/micro/profile-compare.ts to set two builds side by side.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface FileView {
  /** Busy µs in the window (idle left out). */
  busyUs: number;
  self: Map<string, number>;
  nearestOurs: Map<string, number>;
  inclusive: Map<string, number>;
}

const maps = new Map<string, SourceMap | null>();
function mapOf(url: string): SourceMap | null {
  if (!maps.has(url)) {
    try {
      maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
    } catch {
      maps.set(url, null);
    }
  }
  return maps.get(url)!;
}

/** Where a frame's code lives: `src:<path>` for the bundle's own sources, `npm:<pkg>`, `node:<module>`, or a pseudo-frame. */
function fileOf(n: Node): string {
  const { url, functionName } = n.callFrame;
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(program)' ? '(program)' : `(native) ${functionName}`;
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const map = url.startsWith('file:') ? mapOf(url) : null;
  const entry = map?.findEntry(n.callFrame.lineNumber, n.callFrame.columnNumber) as { originalSource?: string } | undefined;
  const src = entry?.originalSource;
  if (!src) return `bundle:${url.replace(/^.*\//, '')}`;
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(src);
  if (npm) return `npm:${npm[1]}`;
  return `src:${src.replace(/^.*?\/(server\/src|packages\/[^/]+\/src)\//, '$1/')}`;
}

const isOurs = (file: string) => file.startsWith('src:');

/**
 * The profile's samples between `fromUs` and `toUs` (the monotonic clock in µs, which
 * is what V8 stamps profiles with and process.hrtime reads), by file.
 */
export function profileByFile(path: string, fromUs = -Infinity, toUs = Infinity): FileView {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const file = new Map<number, string>();
  for (const n of p.nodes) file.set(n.id, fileOf(n));
  const stackFiles = new Map<number, { files: string[]; ours: string }>();
  const stackOf = (id: number) => {
    let s = stackFiles.get(id);
    if (s) return s;
    const files = new Set<string>();
    let ours = '';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = file.get(at)!;
      if (f === '(root)' || byId.get(at)!.callFrame.functionName === '(root)') continue;
      files.add(f);
      if (!ours && isOurs(f)) ours = f;
    }
    s = { files: [...files], ours: ours || `(no caller of ours) ${file.get(id)}` };
    stackFiles.set(id, s);
    return s;
  };
  const view: FileView = { busyUs: 0, self: new Map(), nearestOurs: new Map(), inclusive: new Map() };
  const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    // A sample's time is the gap to the next one (V8's own attribution).
    const us = p.timeDeltas[i + 1] ?? 0;
    const n = byId.get(p.samples[i]!)!;
    if (n.callFrame.functionName === '(idle)') continue;
    view.busyUs += us;
    bump(view.self, file.get(n.id)!, us);
    const s = stackOf(n.id);
    bump(view.nearestOurs, s.ours, us);
    for (const f of s.files) bump(view.inclusive, f, us);
  }
  return view;
}
