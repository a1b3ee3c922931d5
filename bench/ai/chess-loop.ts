// Does the game-server's event loop stay responsive while the troop plays chess (or Othello,
// --game othello)? Six chess
// games against agents at once, production-shaped: the game-server runs as its own process
// from server/dist (real Postgres, Redis, an event-stream), the people are HTTP clients in
// this process that learn of their turn from the event stream (as the web page does), think
// for a moment, pick a random legal move with the shared engine (as the browser computes
// its legal moves) and POST it. The figure is the SERVER's event-loop delay, read from its
// own /metrics (prom-client's monitorEventLoopDelay, reset by each scrape: one scrape
// before the window, one after, so the figures cover exactly the window).
//   TEST_DATABASE_URL=... npx tsx bench/ai/chess-loop.ts [--game chess|othello] [--games 6] [--own-moves 30]
//     [--workers 2] [--agents strong|weak] [--think-ms 400] [--compare <git-ref>] [--runs 1]
//     [--warmup-moves 5] [--cpu-prof <dir>] [--reviews 20] [--review-plies 40]
// --reviews N (issue 27) measures each variant twice: as above, then with N post-game
// reviews of finished chess games (--review-plies random moves each) queued just before
// the window, computing in the server's review worker throughout it.
// --compare main builds main's server (bench/compare/build.ts) and runs old and new
// alternately in this invocation. Needs `npm run build -w server` first.
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { gameTopic } from '@monkeytown/shared';
import { ENGINES, type GameEngine } from '@monkeytown/shared/games';
import { mulberry32 } from '@monkeytown/shared/ai';
import { buildRef } from '../compare/build.js';
import { Api } from '../lib/http.js';
import { observedStarts, startTopology } from '../lib/infra.js';
import { scrape, type Samples } from '../lib/metrics.js';
import { closePlayers, connectPlayers, createPlayers, Inbox, type Player } from '../lib/players.js';
import { distDir, sleep } from '../lib/proc.js';
import { queueReviews, reviewsDone } from './review-queue.js';

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const GAMES = Number(opt('--games') ?? 6);
const OWN_MOVES = Number(opt('--own-moves') ?? 30);
const WORKERS = Number(opt('--workers') ?? 2);
const THINK_MS = Number(opt('--think-ms') ?? 400);
const RUNS = Number(opt('--runs') ?? 1);
const WARMUP_MOVES = Number(opt('--warmup-moves') ?? 5);
const COMPARE = opt('--compare');
const CPU_PROF = opt('--cpu-prof');
const REVIEWS = Number(opt('--reviews') ?? 0);
const REVIEW_PLIES = Number(opt('--review-plies') ?? 40);
// Seat 0 (the agent) moves first in both games: White in chess, Black in Othello.
const TYPE = opt('--game') === 'othello' ? 'othello' : 'chess';
const ENGINE = ENGINES[TYPE] as GameEngine<unknown, unknown>;
// --agents weak: the same games and requests with near-zero search, to separate the cost
// of serving the games from the cost of searching.
const AGENTS = opt('--agents') === 'weak' ? ['wildcardlemur', 'speedygibbon'] : ['championchimp', 'strategistape', 'trickstermonkey'];

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const f1 = (x: number) => x.toFixed(1);

/** CPU seconds (user, system) of one thread (the main thread: tid = pid), from /proc. */
function threadCpuSec(pid: number, tid = pid): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
}

interface Loop {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}
const loopOf = (s: Samples): Loop => {
  const ms = (k: string) => (s.get(`nodejs_eventloop_lag_${k}_seconds`) ?? NaN) * 1000;
  return { p50: ms('p50'), p99: ms('p99'), max: ms('max'), mean: ms('mean') };
};

/** One person's game: wait for the agent's move on the stream, think, move; resign after OWN_MOVES. */
async function play(api: Api, me: Player, id: string, seq0: number, rand: () => number, ownMoves: number): Promise<{ own: number; agent: number }> {
  const inbox = new Inbox(me.client!, gameTopic(id), seq0);
  let seq = seq0;
  let own = 0;
  let agent = 0;
  try {
    for (;;) {
      // The agent (seat 0) moves: agent.thinking, its move (maybe chat), or the end.
      let state: unknown = null;
      while (!state) {
        const { e } = await inbox.waitFor(++seq, 60_000);
        if (e.kind === 'game.over') return { own, agent };
        if (e.kind !== 'move') continue;
        const d = e.data as { seat: number; state: unknown; status: string };
        if (d.seat !== 0) continue;
        agent++;
        if (d.status === 'finished') return { own, agent };
        state = d.state;
      }
      await sleep(THINK_MS * (0.5 + rand()));
      if (own >= ownMoves) {
        await api.post(`/api/games/${id}/resign`, {}, me);
        return { own, agent };
      }
      const legal = ENGINE.legalMoves(state); // Othello: [{square: "pass"}] when the person must pass
      const r = await api.post(`/api/games/${id}/moves`, { move: legal[Math.floor(rand() * legal.length)], expectedSeq: seq }, me);
      if (r.status !== 200) throw new Error(`move -> ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      own++;
      seq = r.body.seq;
      if (r.body.game.status === 'finished') return { own, agent };
    }
  } finally {
    inbox.close();
  }
}

interface Result {
  label: string;
  startMs: number;
  idle: Loop;
  busy: Loop;
  agentMoves: number;
  ownMoves: number;
  wallSec: number;
  /** The game-server's main thread (not the AI workers): user and kernel CPU per move (both sides' moves). */
  mainUserMsPerMove: number;
  mainSysMsPerMove: number;
  loadBefore: string;
  loadAfter: string;
  /** Reviews queued before the window, and done by its end. */
  reviews: { queued: number; done: number };
}

async function measure(label: string, dist: string, reviews: number): Promise<Result> {
  const nodeArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  // Reviews only where asked for (GET /review queues one): the warm-up games are not reviewed.
  const env = { AI_WORKERS: String(WORKERS), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', REVIEW_AUTO: 'false' };
  const top = await startTopology('real', { dist, nodeArgs, env });
  const startMs = observedStarts.filter((s) => s.service === 'game-server').at(-1)!.ms;
  const api = new Api(top.api);
  const metrics = `${top.api}/metrics`;
  const pid = top.gameServer!.pid;
  try {
    // Idle: nothing to do but the server's own timers (relay, AI sweep, flag sweep).
    await scrape(metrics);
    await sleep(3000);
    const idle = loopOf(await scrape(metrics));

    const players = await createPlayers(api, 0, GAMES, 'loop');
    if (await connectPlayers(players, top.ws, () => {})) throw new Error('event-stream connections failed');
    const rand = mulberry32(7);
    const round = async (ownMoves: number) => {
      const games: { me: Player; id: string; seq: number }[] = [];
      for (const [i, me] of players.entries()) {
        const c = await api.post('/api/games', { type: TYPE, opponent: { kind: 'agent', agentId: AGENTS[i % AGENTS.length] }, seat: 1 }, me);
        if (c.status !== 201) throw new Error(`create -> ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`);
        games.push({ me, id: c.body.game.id, seq: c.body.game.seq });
      }
      return Promise.all(games.map((g) => play(api, g.me, g.id, g.seq, rand, ownMoves)));
    };
    // Warm-up: a long-running server has compiled its code paths; a just-started one
    // compiles them during its first moves. Play a short round first, outside the window.
    await round(WARMUP_MOVES);
    const reviewed = reviews > 0 ? await queueReviews(api, reviews, REVIEW_PLIES) : [];
    for (const id of reviewed) await api.get(`/api/games/${id}/review`); // queues each
    const loadBefore = load();
    const cpu0 = threadCpuSec(pid);
    await scrape(metrics); // reset: the window starts here
    const t0 = performance.now();
    const done = await round(OWN_MOVES);
    const busy = loopOf(await scrape(metrics));
    const wallSec = (performance.now() - t0) / 1000;
    const cpu1 = threadCpuSec(pid);
    const reviewsDoneCount = reviewed.length ? await reviewsDone(api, reviewed) : 0;
    closePlayers(players);
    const agentMoves = done.reduce((a, d) => a + d.agent, 0);
    const ownMoves = done.reduce((a, d) => a + d.own, 0);
    const perMove = (sec: number) => (sec * 1000) / (agentMoves + ownMoves);
    return {
      label, startMs, idle, busy, agentMoves, ownMoves, wallSec, loadBefore, loadAfter: load(),
      mainUserMsPerMove: perMove(cpu1.user - cpu0.user), mainSysMsPerMove: perMove(cpu1.sys - cpu0.sys),
      reviews: { queued: reviewed.length, done: reviewsDoneCount },
    };
  } finally {
    api.close();
    await top.stop();
  }
}

const variants: { label: string; dist: string }[] = [{ label: 'this', dist: distDir() }];
if (COMPARE) variants.unshift({ label: COMPARE, dist: buildRef(COMPARE).dist });
console.log(`${GAMES} concurrent ${TYPE} games vs ${AGENTS.join('/')} (${WORKERS} AI workers, AI_THINK_DELAY=0), people think ${THINK_MS} ms ±50 % and learn of their turn from the event stream`);
const results: Result[] = [];
for (let run = 0; run < RUNS; run++) {
  for (const v of variants) for (const reviews of REVIEWS > 0 ? [0, REVIEWS] : [0]) {
    const r = await measure(v.label, v.dist, reviews);
    results.push(r);
    console.log(
      `${r.label.padEnd(8)} ${reviews ? `+${reviews} reviews queued (${r.reviews.done} done in the window) ` : ''}start ${r.startMs.toFixed(0)} ms | idle loop p50 ${f1(r.idle.p50)} p99 ${f1(r.idle.p99)} max ${f1(r.idle.max)} ms | ` +
        `6 games: p50 ${f1(r.busy.p50)} p99 ${f1(r.busy.p99)} max ${f1(r.busy.max)} mean ${f1(r.busy.mean)} ms | ` +
        `${r.agentMoves}+${r.ownMoves} moves in ${f1(r.wallSec)} s, main thread CPU/move ${r.mainUserMsPerMove.toFixed(2)} user + ${r.mainSysMsPerMove.toFixed(2)} sys ms | load ${r.loadBefore} → ${r.loadAfter}`,
    );
  }
}
console.log('(event-loop delay of the game-server process, prom-client resolution 10 ms: an idle loop reads ~10 ms; budget p99 <= 20 ms)');
