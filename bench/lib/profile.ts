// Reading a V8 .cpuprofile (node --cpu-prof): self time per function, and self time
// grouped by where the code lives (our server code, shared, each npm package, node
// internals), so "the top costs on the move path" can be named.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  top: { fn: string; where: string; selfMs: number; pct: number }[];
  byArea: { area: string; selfMs: number; pct: number }[];
  /** Self time charged to the nearest caller in a package or the bundle (native socket writes → pg, ioredis, fastify...). */
  byCaller: { caller: string; selfMs: number; pct: number }[];
}

export function areaOf(url: string): string {
  if (!url) return '(native/gc)';
  if (url.startsWith('node:')) return 'node internals';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return `npm:${m[1]}`;
  return 'bundle';
}

export function summarizeProfile(file: string, topN = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const total = (p.endTime - p.startTime) / 1000;
  const fns = new Map<string, { fn: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += ms;
      continue;
    }
    const where = n.callFrame.url ? `${n.callFrame.url.replace(/^.*\/(node_modules\/|dist\/)/, '$1')}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const f = fns.get(key) ?? { fn: name, where, selfMs: 0 };
    f.selfMs += ms;
    fns.set(key, f);
    const area = name === '(garbage collector)' ? 'gc' : name === '(program)' ? '(program)' : areaOf(n.callFrame.url);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busy = total - idle;
  // Walk each sample's stack up to the first frame in node_modules or the bundle.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const callerOf = new Map<number, string>();
  const resolveCaller = (id: number): string => {
    const hit = callerOf.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    let out: string;
    if (url.includes('node_modules/') || url.includes('/dist/')) {
      out = `${areaOf(url)} ${n.callFrame.functionName || '(anonymous)'}`;
    } else {
      const up = parent.get(id);
      out = up === undefined ? '(no package caller)' : resolveCaller(up);
    }
    callerOf.set(id, out);
    return out;
  };
  const callers = new Map<string, number>();
  for (const [id, ms] of self) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') continue;
    const c = resolveCaller(id);
    callers.set(c, (callers.get(c) ?? 0) + ms);
  }
  return {
    byCaller: [...callers].map(([caller, selfMs]) => ({ caller, selfMs, pct: (100 * selfMs) / busy })).sort((a, b) => b.selfMs - a.selfMs).slice(0, topN),
    totalMs: total,
    idleMs: idle,
    top: [...fns.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, topN).map((f) => ({ ...f, pct: (100 * f.selfMs) / busy })),
    byArea: [...areas].map(([area, selfMs]) => ({ area, selfMs, pct: (100 * selfMs) / busy })).sort((a, b) => b.selfMs - a.selfMs),
  };
}
