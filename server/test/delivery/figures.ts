// What a run did, in the terms a user would notice: events missing from the replay
// stream (lost for good), what each watcher got (missing, doubled, out of order,
// resyncs), how long a write's event took to reach the watchers' sockets, and lobby
// rows that showed an older state of a game than one already shown.
import type { Watcher } from './watcher.js';
import type { Write } from './writers.js';

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summary(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  // Nearest rank, as bench/lib/stats.ts.
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((q / 100) * s.length) - 1))]! : NaN);
  return { n: s.length, p50: at(50), p99: at(99), max: s.length ? s[s.length - 1]! : NaN };
}

/** Seqs of 1..n not in `seqs`, and seqs present more than once. */
export function holes(seqs: readonly number[], n: number): { missing: number[]; duplicates: number } {
  const seen = new Set<number>();
  let duplicates = 0;
  for (const s of seqs) {
    if (seen.has(s)) duplicates++;
    seen.add(s);
  }
  const missing: number[] = [];
  for (let s = 1; s <= n; s++) if (!seen.has(s)) missing.push(s);
  return { missing, duplicates };
}

export interface WatcherFigures {
  name: string;
  /** Subscribed through the event-stream that was SIGKILLed: resyncs are allowed. */
  mayResync: boolean;
  received: number;
  missing: number;
  duplicates: number;
  /** Events whose seq was not above the one before (a duplicate counts here too). */
  outOfOrder: number;
  resyncs: { game: number; lobby: number };
  lobby: { events: number; gaps: number; outOfOrder: number; olderState: number };
  reconnects: number;
  errors: string[];
  invalid: number;
}

export function watcherFigures(w: Watcher, n: number, mayResync: boolean): WatcherFigures {
  const seqs = w.game.map((e) => e.seq);
  const { missing, duplicates } = holes(seqs, n);
  return {
    name: w.name,
    mayResync,
    received: seqs.length,
    missing: missing.length,
    duplicates,
    outOfOrder: seqs.filter((s, i) => i > 0 && s <= seqs[i - 1]!).length,
    resyncs: { ...w.resyncs },
    lobby: lobbyFigures(w),
    reconnects: w.reconnects,
    errors: w.errors,
    invalid: w.invalid,
  };
}

/**
 * Lobby seqs are contiguous per subscriber (docs/event-stream.md): a jump is a gap
 * unless it follows a resync or a subscribe without sinceSeq. A row is an "older
 * state" when its game's seq or moveCount is below one already delivered for that game.
 */
function lobbyFigures(w: Watcher): WatcherFigures['lobby'] {
  let gaps = 0;
  let outOfOrder = 0;
  let olderState = 0;
  const newest = new Map<string, { seq: number; moveCount: number }>();
  w.lobby.forEach((e, i) => {
    const prev = w.lobby[i - 1];
    if (prev && e.seq <= prev.seq) outOfOrder++;
    else if (prev && e.seq !== prev.seq + 1 && !e.fresh) gaps++;
    const had = newest.get(e.gameId);
    if (had && (e.gameSeq < had.seq || e.moveCount < had.moveCount)) olderState++;
    else newest.set(e.gameId, { seq: e.gameSeq, moveCount: e.moveCount });
  });
  return { events: w.lobby.length, gaps, outOfOrder, olderState };
}

export interface Latency {
  all: Summary;
  moves: Summary;
  chat: Summary;
  /** (write, watcher) pairs over 1 s, and over the relay's 3 s sweep grace. */
  over1s: number;
  over3s: number;
  /** (write, watcher) pairs whose event never arrived. */
  never: number;
}

/**
 * From each write's answer to its event on each measured watcher's socket (an event
 * that arrived before the answer counts 0). `excluded` writes (answered while Redis
 * was down, or just after) are left out: nothing can deliver them then.
 */
export function latency(writes: readonly Write[], watchers: readonly Watcher[], excluded: (w: Write) => boolean = () => false): Latency {
  const arrivals = watchers.map((w) => new Map(w.game.map((e) => [e.seq, e.at] as const).reverse()));
  const all: number[] = [];
  const moves: number[] = [];
  const chat: number[] = [];
  let never = 0;
  for (const w of writes) {
    if (excluded(w)) continue;
    for (const got of arrivals) {
      const at = got.get(w.seq);
      if (at === undefined) {
        never++;
        continue;
      }
      const ms = Math.max(0, at - w.answeredAt);
      all.push(ms);
      (w.kind === 'move' ? moves : chat).push(ms);
    }
  }
  return { all: summary(all), moves: summary(moves), chat: summary(chat), over1s: all.filter((x) => x > 1000).length, over3s: all.filter((x) => x > 3000).length, never };
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '-');
export const fmtSummary = (s: Summary) => `p50 ${ms(s.p50)} / p99 ${ms(s.p99)} / max ${ms(s.max)} (n=${s.n})`;

/** One line per watcher, for the printed report. */
export function fmtWatcher(f: WatcherFigures): string {
  const l = f.lobby;
  return `${f.name}${f.mayResync ? ' (killed es)' : ''}: ${f.received} received, ${f.missing} missing, ${f.duplicates} dup, ${f.outOfOrder} out of order, ` +
    `resync game ${f.resyncs.game} lobby ${f.resyncs.lobby}; lobby ${l.events} rows, ${l.gaps} gaps, ${l.outOfOrder} out of order, ${l.olderState} older state` +
    `${f.reconnects ? `; ${f.reconnects} reconnect` : ''}${f.errors.length ? `; errors ${f.errors.slice(0, 3).join(' | ')}` : ''}${f.invalid ? `; ${f.invalid} invalid frames` : ''}`;
}
