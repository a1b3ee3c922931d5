// The event-stream alone, in the shape of self-play: its CPU per move, old build vs new
// in one invocation, alternating.
//   npx tsx bench/fanout/games.ts [--compare <git-ref>] [--games 400] [--concurrency 50] [--rounds 2]
//
// Each round starts a private redis-server and one event-stream process per build
// (server/dist/event-stream.js of this tree; with --compare, the same file of that
// ref, built by bench/compare/build.ts) and plays `--games` games through it, at most
// `--concurrency` at a time, as `npm run bench -- --selfplay` does: each game has two
// signed-in players on sockets of their own (kept across games); both subscribe to the
// game with `sinceSeq` at its creation while the join is published, then the moves are
// published one at a time, each only once both sockets have the previous one, and both
// unsubscribe at the end. This process publishes through the Redis bus and plays the
// clients; only the event-stream's own CPU (from /proc) is counted, per move, so the
// figure does not depend on the game-server or Postgres, nor much on the machine's load.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { cpuSec, waitHttp } from './es-proc.js';
import { freePort } from '@monkeytown/test-support';
import { wsProtocols, type BusEvent, type Topic } from '@monkeytown/shared';
import { TokenService } from '../../server/src/auth/tokens.js';
import { createRedisBus } from '../../server/src/bus/index.js';
import { buildRef } from '../compare/build.js';
import { printTable } from '../lib/table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const GAMES = Math.min(Number(opt('--games') ?? 400), 5000);
const CONCURRENCY = Math.min(Number(opt('--concurrency') ?? 50), 500);
const ROUNDS = Math.min(Number(opt('--rounds') ?? 2), 10);
const MOVES = 7; // a tic-tac-toe self-play game's average, about
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
function proc(cmd: string, argv: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

/** A player's socket: resolves waiters on the messages it is waiting for. */
class Player {
  private waiters: { pred: (m: { type: string; topic?: string; seq?: number }) => boolean; done: () => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; topic?: string; seq?: number };
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.done(), false) : true));
    });
  }
  static async open(url: string, token: string): Promise<Player> {
    const ws = new WebSocket(url, wsProtocols(token), { perMessageDeflate: false });
    const p = new Player(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return p;
  }
  until(pred: (m: { type: string; topic?: string; seq?: number }) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('event-stream did not answer within 15 s')), 15_000);
      this.waiters.push({ pred, done: () => (clearTimeout(t), resolve()) });
    });
  }
  send(msg: object): void {
    this.ws.send(JSON.stringify(msg));
  }
}

/** A move event as the game-server publishes it (tic-tac-toe: small state). */
const moveEvent = (topic: Topic, seq: number, playerId: string): BusEvent => ({
  topic,
  seq,
  kind: 'move',
  data: {
    seat: seq % 2,
    playerId,
    move: { cell: seq % 9 },
    reason: null,
    moveNumber: seq - 2,
    state: { board: ['X', null, 'O', null, 'X', null, null, 'O', null], next: (seq + 1) % 2 },
    turn: (seq + 1) % 2,
    status: 'active',
  },
  at: new Date().toISOString(),
});

/** Commands Redis has run so far (INFO commandstats; inside MULTI and scripts, each counts). */
async function redisCalls(url: string): Promise<number> {
  const r = new Redis(url);
  try {
    const info = await r.info('commandstats');
    let total = 0;
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') total += Number(m[2]);
    return total;
  } finally {
    r.disconnect();
  }
}

/** One build: private Redis, one event-stream, GAMES games; the event-stream's CPU per move. */
async function runBuild(esJs: string): Promise<{ moves: number; cpuMs: number; wallSec: number; redisCalls: number }> {
  const redisPort = await freePort();
  const redis = proc('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const esPort = await freePort();
  const secret = randomUUID() + randomUUID();
  const es = proc(process.execPath, [esJs], {
    PORT: String(esPort), HOST: '127.0.0.1', REDIS_URL: redisUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production', SESSION_SECRET: secret,
  });
  const bus = createRedisBus({ url: redisUrl, keyPrefix: 'mt:' });
  try {
    await waitHttp(`http://127.0.0.1:${esPort}/health/ready`);
    const url = `ws://127.0.0.1:${esPort}/ws`;
    const tokens = new TokenService(secret);
    const pairs = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const ids = [randomUUID(), randomUUID()];
        return Promise.all(ids.map(async (id) => ({ id, p: await Player.open(url, await tokens.sign(id)) })));
      }),
    );
    const play = async (pair: { id: string; p: Player }[]) => {
      const topic = `game:${randomUUID()}` as Topic;
      await bus.publish([{ ...moveEvent(topic, 1, pair[0]!.id), kind: 'game.created', data: { game: { id: topic.slice(5) } } }]);
      const subscribed = pair.map(({ p }) => p.until((m) => m.type === 'subscribed' && m.topic === topic));
      for (const { p } of pair) p.send({ type: 'subscribe', topic, sinceSeq: 1 });
      const joined = pair.map(({ p }) => p.until((m) => m.type === 'event' && m.topic === topic && m.seq === 2));
      await bus.publish([{ ...moveEvent(topic, 2, pair[1]!.id), kind: 'player.joined', data: { player: { seat: 1, playerId: pair[1]!.id } } }]);
      await Promise.all([...subscribed, ...joined]);
      for (let seq = 3; seq < 3 + MOVES; seq++) {
        const got = pair.map(({ p }) => p.until((m) => m.type === 'event' && m.topic === topic && m.seq === seq));
        await bus.publish([moveEvent(topic, seq, pair[seq % 2]!.id)]);
        await Promise.all(got);
      }
      const left = pair.map(({ p }) => p.until((m) => m.type === 'unsubscribed' && m.topic === topic));
      for (const { p } of pair) p.send({ type: 'unsubscribe', topic });
      await Promise.all(left);
    };
    // Warm-up (JIT, connections), then the measured games.
    await Promise.all(pairs.map((pair) => play(pair)));
    await sleep(300); // presence writes of the warm-up games
    // What one publish costs Redis (its script and the calls inside), measured on a topic
    // nobody watches, so the event-stream's own commands can be told apart below.
    const c0 = await redisCalls(redisUrl);
    const idle = `game:${randomUUID()}` as Topic;
    for (let seq = 1; seq <= 100; seq++) await bus.publish([moveEvent(idle, seq, 'x')]);
    const perPublish = ((await redisCalls(redisUrl)) - c0) / 100;
    const calls0 = await redisCalls(redisUrl);
    const cpu0 = cpuSec(es.pid!);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(pairs.map(async (pair) => {
      while (next < GAMES) {
        next++;
        await play(pair);
      }
    }));
    await sleep(300); // the last games' presence writes (debounced) belong to them
    const cpuMs = (cpuSec(es.pid!) - cpu0) * 1000;
    const esCalls = (await redisCalls(redisUrl)) - calls0 - perPublish * GAMES * (MOVES + 2);
    for (const pair of pairs) for (const { p } of pair) p.ws.close();
    return { moves: GAMES * (MOVES + 2), cpuMs, wallSec: (performance.now() - t0) / 1000, redisCalls: esCalls };
  } finally {
    await bus.close();
    es.kill('SIGTERM');
    redis.kill('SIGTERM');
    await sleep(300);
  }
}

async function main(): Promise<void> {
  const ref = opt('--compare');
  const builds: { name: string; js: string }[] = [{ name: 'new', js: path.join(ROOT, 'server/dist/event-stream.js') }];
  if (ref) builds.unshift({ name: 'old', js: path.join(buildRef(ref).dist, 'event-stream.js') });
  const rows: (string | number)[][] = [];
  const perBuild = new Map<string, number[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which build goes first.
    for (const b of round % 2 ? builds : [...builds].reverse()) {
      const r = await runBuild(b.js);
      const usPerMove = (r.cpuMs * 1000) / r.moves;
      perBuild.set(b.name, [...(perBuild.get(b.name) ?? []), usPerMove]);
      rows.push([round, b.name, GAMES, r.moves, (r.moves / r.wallSec).toFixed(0), r.cpuMs.toFixed(0), usPerMove.toFixed(1), (r.redisCalls / GAMES).toFixed(1), loadavg()[0]!.toFixed(1)]);
      console.log(`   [round ${round} ${b.name}] ${usPerMove.toFixed(1)} µs event-stream CPU per move, load ${loadavg()[0]!.toFixed(1)}`);
    }
  }
  printTable(
    `Event-stream CPU per move, self-play shape (${CONCURRENCY} games at a time, 2 signed-in players each, ${MOVES} moves + created + joined per game)`,
    ['round', 'build', 'games', 'events', 'events/s', 'es CPU ms', 'es µs/move', 'es redis cmds/game', 'load1'],
    rows,
    ['µs/move = event-stream CPU (utime+stime from /proc) / events published; each event goes to both players,',
      'and the per-game subscribe (with sinceSeq), presence and unsubscribe are shared out over the game\'s events.',
      'es redis cmds/game = commands Redis ran for the event-stream per game: INFO commandstats, less what the',
      'publishes cost (measured first on a topic nobody watches); inside a MULTI or a pipeline each command counts.'],
  );
  const median = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (ref) {
    const o = median(perBuild.get('old')!);
    const n = median(perBuild.get('new')!);
    console.log(`\nmean es µs/move: old ${o.toFixed(1)}, new ${n.toFixed(1)}, new/old ${(n / o).toFixed(2)}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
