// Scenario 1, self-play load: G concurrent tic-tac-toe games between scripted guests.
// Each player has its own event-stream connection and moves (REST) only after the
// opponent's move has arrived on its socket. Latency = mover's request sent →
// opponent's socket receives the move event.
import { gameTopic } from '@monkeytown/shared';
import { Api } from '../lib/http.js';
import { closePlayers, connectPlayers, createPlayers, Inbox, type Player } from '../lib/players.js';
import { clientCpu, ProcSampler, sleep } from '../lib/proc.js';
import { PgCpuSampler } from '../lib/pgcpu.js';
import type { ProcFigures } from '../sections/common.js';
import { summarize, Tally, type Summary } from '../lib/stats.js';
import type { Topology } from '../lib/infra.js';

export interface SelfPlayResult {
  topology: string;
  games: number;
  durationSec: number;
  wallSec: number;
  movesCommitted: number;
  gamesFinished: number;
  movesPerSec: number;
  latencyMs: Summary;
  /** Mover's request sent → its 200 received (the answer; `latencyMs` is the opponent's event). */
  answerMs: Summary;
  errors: Record<string, number>;
  errorTotal: number;
  gaps: number;
  reconnects: number;
  clientCpuSec: number;
  /** CPU/RSS per server process; `postgres` = the backends of the bench's database (no RSS). */
  server: ProcFigures;
}

interface Ctx {
  api: Api;
  deadline: number;
  hardDeadline: number;
  latencies: number[];
  answers: number[];
  errors: Tally;
  moves: number;
  finished: number;
  gaps: number;
  waitMs: number;
  /** Moves sent before this (the warm-up) are played but not counted. */
  measureFrom: number;
}

const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

/** One game from creation to its end (or to the first error, which abandons it). */
async function playGame(ctx: Ctx, a: Player, b: Player, rand: () => number): Promise<void> {
  const tagged = (what: string) => (e: Error) => {
    throw new Error(`${what}: ${e.message}`);
  };
  const created = await ctx.api.post('/api/games', { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 }, a).catch(tagged('create'));
  if (created.status !== 201) {
    ctx.errors.add(`create_${created.status}`);
    return sleep(100);
  }
  const gameId: string = created.body.game.id;
  const topic = gameTopic(gameId);
  const inbox = new Map<Player, Inbox>([
    [a, new Inbox(a.client!, topic, created.body.game.seq)],
    [b, new Inbox(b.client!, topic, created.body.game.seq)],
  ]);
  try {
    const joined = await ctx.api.post(`/api/games/${gameId}/join`, {}, b).catch(tagged('join'));
    if (joined.status !== 200) {
      ctx.errors.add(`join_${joined.status}`);
      return;
    }
    let seq: number = joined.body.game.seq; // player.joined
    let cells: (number | null)[] = joined.body.game.state.cells;
    let mover = a;
    let other = b;
    await inbox.get(a)!.waitFor(seq, ctx.waitMs); // A moves once it has seen B join
    for (let n = 0; n < 9; n++) {
      if (performance.now() > ctx.hardDeadline) throw new Error('hard_deadline');
      const free = cells.flatMap((c, i) => (c === null ? [i] : []));
      const cell = free[Math.floor(rand() * free.length)]!;
      const sentAt = performance.now();
      const expectedSeq = seq;
      let failed: Error | null = null;
      ctx.api.post(`/api/games/${gameId}/moves`, { move: { cell }, expectedSeq }, mover).then(
        (r) => {
          if (r.status === 200) {
            if (sentAt >= ctx.measureFrom) {
              ctx.moves++;
              ctx.answers.push(performance.now() - sentAt);
            }
          } else {
            failed = new Error(`move_${r.status}`);
            for (const i of inbox.values()) i.abort(failed.message);
          }
        },
        (err: Error) => {
          failed = new Error(`move_${err.message.startsWith('timeout') ? 'timeout' : 'neterr'}`);
          for (const i of inbox.values()) i.abort(failed.message);
        },
      );
      const got = await inbox.get(other)!.waitFor(expectedSeq + 1, ctx.waitMs).catch((e: Error) => {
        throw failed ?? e;
      });
      if (sentAt >= ctx.measureFrom) ctx.latencies.push(got.at - sentAt);
      const data = got.e.data as { state: { cells: (number | null)[] }; status: string };
      seq = got.e.seq;
      cells = data.state.cells;
      if (data.status === 'finished') {
        if (sentAt >= ctx.measureFrom) ctx.finished++;
        return;
      }
      [mover, other] = [other, mover];
    }
  } finally {
    for (const [p, i] of inbox) {
      ctx.gaps += i.gaps;
      if (p.client) i.close();
    }
  }
}

/**
 * `warmupSec`: the games start that long before the measured window (JIT, connection
 * pools, caches warm up as in a server that has been running); moves sent during it are
 * played but neither counted nor timed, and CPU is read from the window's start.
 */
export async function runSelfPlay(top: Topology, players: Player[], games: number, durationSec: number, warmupSec = 0): Promise<SelfPlayResult> {
  const api = new Api(top.api);
  let reconnects = 0;
  const pairs = players.slice(0, games * 2);
  const connectFailed = await connectPlayers(pairs, top.ws, () => reconnects++);
  // Up to two requests in flight per game (a move's answer can still be on its way when
  // the opponent's next move goes out): twice as many connections as games, opened before
  // the start. BENCH_COLD_CONNECTIONS=1 skips it: every client connects in the run's first
  // second, the connection storm of docs/performance.md.
  if (process.env.BENCH_COLD_CONNECTIONS !== '1') await api.warm(games * 2);
  const start = performance.now();
  const ctx: Ctx = {
    api, latencies: [], answers: [], errors: new Tally(), moves: 0, finished: 0, gaps: 0, waitMs: 15_000,
    measureFrom: start + warmupSec * 1000,
    deadline: start + (warmupSec + durationSec) * 1000,
    hardDeadline: start + (warmupSec + durationSec + 30) * 1000,
  };
  if (connectFailed) ctx.errors.add('connect_failed', connectFailed);
  const sampler = new ProcSampler(top.procs);
  const pgSampler = top.postgres ? new PgCpuSampler(top.postgres) : null;
  let cpu = clientCpu();
  let t0 = performance.now();
  // The window opens after the warm-up (at once without one): CPU counted from here.
  const window = (async () => {
    if (warmupSec > 0) await sleep(ctx.measureFrom - performance.now());
    await pgSampler?.begin();
    cpu = clientCpu();
    sampler.begin();
    t0 = performance.now();
  })();
  if (warmupSec <= 0) await window;
  const played = Promise.all(
    Array.from({ length: games }, async (_, g) => {
      const a = pairs[2 * g]!;
      const b = pairs[2 * g + 1]!;
      const rand = rng(g + 1);
      if (!a.client || !b.client) return; // a connection failed: counted as connect_failed
      // Bounded in count too: no pair plays more than 10,000 games.
      for (let k = 0; k < 10_000 && performance.now() < ctx.deadline; k++) {
        try {
          await playGame(ctx, a, b, rand);
        } catch (err) {
          ctx.errors.add((err as Error).message);
          if ((err as Error).message === 'hard_deadline') return;
          await sleep(200); // a failing server is not hammered in a tight loop
        }
      }
    }),
  );
  await played;
  await window;
  const wallSec = (performance.now() - t0) / 1000;
  const clientCpuSec = cpu();
  const server = sampler.end();
  if (pgSampler) {
    const pgCpu = await pgSampler.end();
    server.postgres = { cpuSec: pgCpu.cpuSec, peakRssMiB: NaN, hwmMiB: NaN, backends: pgCpu.backends, xacts: pgCpu.xacts };
  }
  closePlayers(pairs);
  api.close();
  return {
    topology: top.name, games, durationSec, wallSec,
    movesCommitted: ctx.moves, gamesFinished: ctx.finished,
    movesPerSec: ctx.moves / wallSec,
    latencyMs: summarize(ctx.latencies),
    answerMs: summarize(ctx.answers),
    errors: ctx.errors.counts, errorTotal: ctx.errors.total,
    gaps: ctx.gaps, reconnects, clientCpuSec, server,
  };
}

/** Guests for the largest G of a topology (made once, reused by every G). */
export async function makePlayers(top: Topology, count: number): Promise<Player[]> {
  const api = new Api(top.api);
  try {
    return await createPlayers(api, 0, count);
  } finally {
    api.close();
  }
}
