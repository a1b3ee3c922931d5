// Issue 22's acceptance 1–3 over one run's figures: every broken promise as a line a
// reader can act on (empty = the run kept every promise), and the printed report.
import { fmtSummary, fmtWatcher } from './figures.js';
import type { SeamResult } from './seam.js';

/** Max from a write's answer to its event on a watcher's socket (acceptance 2: a test asserts < 1 s). */
export const MAX_LATENCY_MS = 1000;
/** Max from Redis answering again to the event of a write made during the outage. */
export const MAX_AFTER_OUTAGE_MS = 2000;

export function problems(r: SeamResult, target: number): string[] {
  const out: string[] = [];
  const add = (cond: boolean, msg: string) => {
    if (cond) out.push(msg);
  };
  add(r.writers.writes < target, `only ${r.writers.writes} of ${target} writes were answered in time`);
  add(r.writers.failures.length > 0, `writes refused: ${r.writers.failures.slice(0, 3).join(' | ')}`);
  add(r.background.errors.length > 0, `other games: ${r.background.errors.length} errors, e.g. ${r.background.errors.slice(0, 2).join(' | ')}`);
  add(r.faults.some((f) => f.includes('not run')), `a fault was not injected: ${r.faults.join('; ')}`);
  add(!r.truthContiguous, 'the game\'s events in Postgres are not 1..N');
  const s = r.stream;
  add(s.missing.length > 0, `${s.missing.length} of ${r.events} events never reached the replay stream (lost for good), e.g. seq ${s.missing.slice(0, 8).join(', ')}`);
  add(s.duplicates > 0, `${s.duplicates} seqs twice in the replay stream`);
  for (const w of r.watchers) {
    const who = `watcher ${w.name}${w.mayResync ? ' (its event-stream was killed)' : ''}`;
    // A subscriber that got resync reloads over REST: only then may it lack events.
    const reloaded = w.mayResync && w.resyncs.game > 0;
    add(w.missing > 0 && !reloaded, `${who}: ${w.missing} of ${r.events} events never arrived`);
    add(w.duplicates > 0, `${who}: ${w.duplicates} events twice`);
    add(w.outOfOrder > 0, `${who}: ${w.outOfOrder} events out of order`);
    add(!w.mayResync && w.resyncs.game > 0, `${who}: ${w.resyncs.game} resync on the game`);
    add(!w.mayResync && w.resyncs.lobby > 0, `${who}: ${w.resyncs.lobby} resync on the lobby`);
    add(w.lobby.gaps > 0, `${who}: ${w.lobby.gaps} gaps in the lobby seqs`);
    add(w.lobby.outOfOrder > 0, `${who}: ${w.lobby.outOfOrder} lobby seqs out of order`);
    add(w.lobby.olderState > 0, `${who}: ${w.lobby.olderState} of ${w.lobby.events} lobby rows showed an older state of a game than one already shown`);
    add(w.errors.length > 0, `${who}: errors ${w.errors.slice(0, 3).join(' | ')}`);
    add(w.invalid > 0, `${who}: ${w.invalid} frames outside the contract`);
  }
  // Writes made while Redis was down go out once it is back: the bus reconnects within
  // 250 ms, re-checks a loading Redis every 100 ms, and the relay retries what the
  // committing process could not publish every 250 ms (outbox/relay.ts anchor()).
  const o = r.latencyAfterOutage;
  if (o) add(o.all.max >= MAX_AFTER_OUTAGE_MS || o.never > 0, `after the outage an event reached a watcher ${Math.round(o.all.max)} ms after Redis was back (${o.never} never)`);
  const l = r.latency;
  add(l.all.max >= MAX_LATENCY_MS, `an event reached a watcher ${Math.round(l.all.max)} ms after its write was answered (${l.over1s} deliveries over 1 s, ${l.over3s} over 3 s)`);
  return out;
}

export function report(title: string, r: SeamResult): string {
  const l = r.latency;
  return [
    `[delivery] ${title}: game ${r.gameId}, ${r.events} events (${r.writers.moves} moves, ${r.writers.chats} chat lines${r.writers.gameOver ? ', game over' : ''}) written in ${r.writeSeconds.toFixed(1)} s; ` +
      `${r.background.games} other games finished, ${r.background.moves} moves`,
    `  replay stream: ${r.stream.missing.length} missing, ${r.stream.duplicates} duplicate${r.faults.length ? `; faults: ${r.faults.join('; ')}` : ''}`,
    `  answer → watcher socket: all ${fmtSummary(l.all)}; moves ${fmtSummary(l.moves)}; chat ${fmtSummary(l.chat)}; ${l.over1s} over 1 s, ${l.over3s} over 3 s, ${l.never} never`,
    ...(r.latencyAfterOutage ? [`  writes during the outage and 5 s after, from Redis back → watcher socket: ${fmtSummary(r.latencyAfterOutage.all)}, ${r.latencyAfterOutage.never} never`] : []),
    `  harness event-loop delay: p99 ${r.harnessLoopDelayMs.p99.toFixed(0)} ms, max ${r.harnessLoopDelayMs.max.toFixed(0)} ms`,
    ...r.watchers.map((w) => `  ${fmtWatcher(w)}`),
  ].join('\n');
}
