// Issue 25, acceptance 5: a rolling restart of every service of the production-shaped
// stack (`npm run stack -- --production`: ALB + WAF stand-in, two replicas each of
// game-server, event-stream and web) under a load of reads and writes, with a busy CPU
// beside it. Each round restarts every replica once, one replica of a service at a time
// (the three services side by side, as a deploy of all three does): the ALB stand-in
// takes the replica out of rotation, the process gets SIGTERM and drains as it does in
// production (DRAIN_SECONDS), and it comes back on its port. web, which has no drain of
// its own (Next exits on SIGTERM), gets its signal only after a deregistration delay, as
// ECS sends it. Asserts: every request answered or cleanly refused (outcomes.ts), no
// reset, every answered write (sign-up, game, move) in Postgres. Prints the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingArtifacts, missingTools, startStack, type ServiceName, type Stack } from '../../scripts/stack/index.mjs';
import { send, type Outcome, type Reply } from './outcomes.js';
import { prerequisites } from './support.js';

const runnable = prerequisites('rolling restart of the production-shaped stack', [...missingTools(), ...missingArtifacts()]);

type Json = Record<string, any>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = Number(process.env.ROLLING_ROUNDS ?? 20);
const WORKERS = 10;
/**
 * A player's pace: a look at the game (and a move when it is theirs) every 350 ms, a lobby
 * render every fourth time, and never more than API_CALLS_PER_MIN game-server calls a
 * minute from one address (a render is four): inside the game-server's per-IP limit (600)
 * however fast the machine answers, so a refusal here is a failure, not the limiter at
 * work. (Paced by the clock only, a fast CI machine made 600+ a minute and its renders
 * said "rate limit exceeded".)
 */
const PAUSE_MS = 350;
const RENDER_EVERY = 4;
const API_CALLS_PER_MIN = 360;

/** A token bucket per address: waits until `cost` more calls fit in the per-minute budget. */
function pacer(perMin: number) {
  let tokens = perMin / 6; // a 10 s burst at most
  let at = Date.now();
  return async (cost: number) => {
    for (;;) {
      const now = Date.now();
      tokens = Math.min(perMin / 6, tokens + ((now - at) * perMin) / 60_000);
      at = now;
      if (tokens >= cost) {
        tokens -= cost;
        return;
      }
      await sleep(((cost - tokens) * 60_000) / perMin);
    }
  };
}
const DRAIN_SECONDS = 1;
/** The deregistration delay web waits before SIGTERM: longer than a render takes here. */
const WEB_DEREGISTRATION_MS = 1500;

interface Written {
  players: string[];
  games: string[];
  moves: Array<{ gameId: string; playerId: string; move: unknown }>;
}

describe.runIf(runnable)('production-shaped stack: rolling restarts under load', () => {
  let stack: Stack;
  let stateDir: string;
  let busy: ChildProcess | undefined;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'mt-prod-rolling-'));
    stack = await startStack({
      stateDir,
      production: true,
      env: { DRAIN_SECONDS: String(DRAIN_SECONDS), SHUTDOWN_GRACE_MS: '3000', LOG_LEVEL: 'warn', AI_THINK_DELAY: '0.1' },
    });
  });

  /** Stop the busy loop by its pid (once: it may have been stopped already). */
  const stopBusy = () => {
    if (!busy?.pid || busy.exitCode !== null || busy.signalCode !== null) return;
    try {
      process.kill(busy.pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  };

  afterAll(async () => {
    stopBusy();
    await stack?.stop();
    if (stateDir && !process.env.KEEP_STACK_STATE) rmSync(stateDir, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of restarting every service: 0 resets, every answered write stored`, async () => {
    const counts: Record<Outcome, number> = { answered: 0, refused: 0, reset: 0, other: 0 };
    const problems: string[] = [];
    const written: Written = { players: [], games: [], moves: [] };
    const base = stack.urls.base;
    const paces = new Map<string, (cost: number) => Promise<void>>();
    const call = async (ip: string, method: string, p: string, opts: { body?: unknown; token?: string } = {}): Promise<Reply> => {
      if (!paces.has(ip)) paces.set(ip, pacer(API_CALLS_PER_MIN));
      await paces.get(ip)!(p === '/' ? 4 : 1); // a lobby render makes four game-server calls
      const reply = await send(base, ip, method, p, opts);
      counts[reply.outcome]++;
      if (reply.outcome === 'reset' || reply.outcome === 'other') problems.push(`${method} ${p}: ${reply.detail}`);
      return reply;
    };
    const json = (r: Reply): Json | null => (r.status >= 200 && r.status < 300 ? (JSON.parse(r.body) as Json) : null);

    let running = true;
    const worker = async (n: number) => {
      const ip = `127.0.4.${n + 1}`;
      for (let life = 0; running; life++) {
        // A sign-up, then three games against the AI, then the next sign-up.
        const signup = json(await call(ip, 'POST', '/api/players', { body: { name: `Roller ${n}-${life}` } }));
        if (!signup) {
          await sleep(200);
          continue;
        }
        written.players.push(signup.player.id);
        const token = signup.token as string;
        for (let g = 0; g < 3 && running; g++) {
          const created = json(await call(ip, 'POST', '/api/games', { token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'mentororangutan' }, seat: 0, rated: false } }));
          if (!created) {
            await sleep(200);
            continue;
          }
          const id = created.game.id as string;
          written.games.push(id);
          for (let look = 0; running; look++) {
            const game = json(await call(ip, 'GET', `/api/games/${id}`))?.game as Json | undefined;
            if (game?.status === 'finished') break;
            if (game && game.turn === 0 && game.legalMoves.length > 0) {
              const move = game.legalMoves[0];
              const moved = await call(ip, 'POST', `/api/games/${id}/moves`, { token, body: { move, expectedSeq: game.seq } });
              if (moved.status >= 200 && moved.status < 300) written.moves.push({ gameId: id, playerId: signup.player.id, move });
            }
            if (look % RENDER_EVERY === 0) await call(ip, 'GET', '/'); // a lobby render, through web
            await sleep(PAUSE_MS);
          }
        }
      }
    };

    // The busy CPU beside the stack: one niced spinning process, started and stopped by pid.
    busy = spawn('nice', ['-n', '10', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' });
    const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
    await sleep(2000);
    const t0 = Date.now();
    const steps: ServiceName[][] = [['game-server', 'event-stream', 'web'], ['game-server-2', 'event-stream-2', 'web-2']];
    for (let round = 0; round < ROUNDS; round++) {
      for (const step of steps) {
        await Promise.all(step.map((name) => stack.restart(name, { deregister: true, delayMs: name.startsWith('web') ? WEB_DEREGISTRATION_MS : 0 })));
      }
    }
    const restartMs = Date.now() - t0;
    await sleep(1000);
    running = false;
    await Promise.all(workers);
    stopBusy();

    // Every answered write is in Postgres.
    const db = new pg.Client({ connectionString: stack.urls.database });
    await db.connect();
    const missing: string[] = [];
    try {
      const players = await db.query<{ id: string }>('SELECT id FROM players WHERE id = ANY($1::uuid[])', [written.players]);
      const games = await db.query<{ id: string }>('SELECT id FROM games WHERE id = ANY($1::uuid[])', [written.games]);
      const have = (rows: Array<{ id: string }>) => new Set(rows.map((r) => r.id));
      const p = have(players.rows);
      const g = have(games.rows);
      missing.push(...written.players.filter((id) => !p.has(id)).map((id) => `player ${id}`), ...written.games.filter((id) => !g.has(id)).map((id) => `game ${id}`));
      for (const m of written.moves) {
        const r = await db.query('SELECT 1 FROM moves WHERE game_id = $1 AND player_id = $2 AND move = $3::jsonb', [m.gameId, m.playerId, JSON.stringify(m.move)]);
        if (r.rowCount !== 1) missing.push(`move ${JSON.stringify(m.move)} of game ${m.gameId}`);
      }
    } finally {
      await db.end();
    }

    // The front retries a connection that failed before the request went out (a GET
    // also after); an ALB does not. Every retry is in its log: none may have been needed,
    // or a reset would have been hidden from the count above.
    const retried = readFileSync(path.join(stack.stateDir, 'nginx', 'logs', 'front-access.log'), 'utf8')
      .split('\n')
      .filter((line) => /"upstream_status":"[^"]*,/.test(line));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `[prod-rolling] ${ROUNDS} rounds x 6 restarts, ${WORKERS} clients (drain ${DRAIN_SECONDS} s, web deregistration ${WEB_DEREGISTRATION_MS} ms, a busy CPU beside) in ${restartMs} ms; ` +
        `${total} requests: ${counts.answered} answered, ${counts.refused} cleanly refused, ${counts.reset} reset, ${counts.other} other; ` +
        `${retried.length} retried by the front; ` +
        `writes answered: ${written.players.length} sign-ups, ${written.games.length} games, ${written.moves.length} moves; ${missing.length} not in Postgres` +
        (problems.length ? `; e.g. ${problems.slice(0, 6).join(' | ')}` : ''),
    );
    expect(problems).toEqual([]);
    expect(counts.reset).toBe(0);
    expect(retried).toEqual([]);
    expect(missing).toEqual([]);
    expect(written.moves.length).toBeGreaterThan(ROUNDS * 5);
  }, 900_000);
});
