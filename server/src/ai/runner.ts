import { isAgentId, thinkDelayMs, hashString, type ChooseMoveInput } from '@monkeytown/shared/ai';
import { loadEngine } from '@monkeytown/shared/games';
import { agentPauseBudgetMs } from '../games/clock/clock.js';
import type { Db } from '../db/index.js';
import type { GameService } from '../games/service.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_JOINS, type GameRow } from '../games/snapshot.js';
import { ApiError } from '@monkeytown/shared';
import type { Metrics } from '../plugins/metrics.js';
import type { AiPool } from './pool.js';

export interface AiRunnerOptions {
  db: Db;
  games: GameService;
  pool: AiPool;
  metrics?: Metrics;
  /** Multiplier on the agents' natural think delay (0 in tests). */
  thinkDelayScale: number;
  leaseMs: number;
  sweepMs: number;
  log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * Plays the agents' turns. A commit that leaves an agent to move stamps the game's
 * ai_due_at; some replica then CLAIMS the turn (ai_claimed_until = now() + lease,
 * chosen with FOR UPDATE SKIP LOCKED so replicas never claim the same game at once),
 * emits agent.thinking, searches in a worker thread, waits the agent's natural pause
 * and applies the move through the normal move path with expectedSeq — so even a
 * turn picked up twice (lease expired mid-think) is applied at most once. A replica
 * that dies mid-thought leaves an expired lease that the sweeper of any replica
 * picks up.
 */
export class AiRunner {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly o: AiRunnerOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.sweep().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.sweepMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** A commit in this process left an agent to move: claim and play it now. */
  kick(gameId: string): void {
    if (this.stopped || this.inFlight.has(gameId)) return;
    void this.claimAndPlay(gameId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Turns waiting right now (for tests and metrics). */
  get busy(): number {
    return this.inFlight.size;
  }

  private async sweep(): Promise<void> {
    try {
      await this.claimAndPlay(null);
    } catch (err) {
      this.o.log?.warn({ err }, 'ai sweep failed');
    }
  }

  private async claimAndPlay(gameId: string | null): Promise<void> {
    if (this.stopped) return;
    let claimed: GameRow[];
    try {
      claimed = await this.claim(gameId);
    } catch (err) {
      this.o.log?.warn({ err, gameId }, 'ai claim failed');
      return;
    }
    for (const row of claimed) {
      if (this.inFlight.has(row.id)) continue;
      const p = this.play(row).finally(() => this.inFlight.delete(row.id));
      this.inFlight.set(row.id, p);
    }
  }

  /**
   * Claims due turns and returns their games as loadGameRow would (the claim's RETURNING
   * joined like a snapshot): one round trip per agent move instead of two, on the event
   * loop that also answers requests.
   */
  private async claim(gameId: string | null): Promise<GameRow[]> {
    const params: unknown[] = [this.o.leaseMs, gameId ? 1 : 8];
    if (gameId) params.push(gameId);
    const { rows } = await this.o.db.query<GameRow>(
      `WITH g AS (
         UPDATE games SET ai_claimed_until = now() + $1::int * interval '1 millisecond'
         WHERE id IN (
           SELECT id FROM games
           WHERE ai_due_at IS NOT NULL AND ai_due_at <= now() AND status = 'active'
             AND (ai_claimed_until IS NULL OR ai_claimed_until < now())
             ${gameId ? 'AND id = $3' : ''}
           ORDER BY ai_due_at LIMIT $2
           FOR UPDATE SKIP LOCKED)
         RETURNING *)
       SELECT ${SNAPSHOT_COLUMNS} FROM g ${SNAPSHOT_JOINS}`,
      params,
    );
    return rows;
  }

  private async play(row: GameRow): Promise<void> {
    const gameId = row.id;
    if (row.status !== 'active' || row.turn === null) return;
    const seat = row.turn;
    const agentId = seat === 0 ? row.p0_agent : row.p1_agent;
    const agentPlayer = seat === 0 ? row.player0_id : row.player1_id;
    if (!agentId || !agentPlayer || !isAgentId(agentId)) return;
    try {
      await loadEngine(row.type); // the agent's move is applied here (chess.js loads on first need)
      const thinkingSeq = await this.o.games.agentThinking(gameId, seat, agentId, row.state_seq);
      const seed = hashString(`${gameId}:${row.move_count}`);
      const started = performance.now();
      const r = await this.o.pool.choose({ type: row.type, state: row.state, agentId, seed } as ChooseMoveInput);
      this.o.metrics?.aiThink.labels(agentId, row.type).observe(r.stats.ms / 1000);
      const natural = Math.min(thinkDelayMs(agentId, seed) * this.o.thinkDelayScale, agentPauseBudgetMs(row.clock_state, seat, Date.now()));
      const pause = natural - (performance.now() - started);
      if (pause > 0) await sleep(pause, this.abort.signal);
      if (this.stopped) {
        await this.release(gameId);
        return;
      }
      await this.o.games.move(agentPlayer, gameId, r.move as never, thinkingSeq, { reason: r.reason });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) return; // someone else moved: fine
      if (this.stopped) {
        await this.release(gameId).catch(() => {});
        return;
      }
      this.o.log?.error({ err, gameId, agentId }, 'agent turn failed; the sweeper will retry after the lease');
    }
  }

  /** Hands the turn back (shutdown): another replica may claim it at once. */
  private async release(gameId: string): Promise<void> {
    await this.o.db.query('UPDATE games SET ai_claimed_until = NULL WHERE id = $1', [gameId]);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
