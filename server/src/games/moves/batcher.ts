import type { Move, MoveResponse } from '@monkeytown/shared';
import type { Db, Queryable } from '../../db/index.js';
import { ApiError, notFound } from '@monkeytown/shared';
import type { DirectPublisher } from '../../outbox/publisher.js';
import { requestFingerprint, storedResponses, type StoredRequest } from '../idempotency.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, toSnapshot, toSummary, type GameRow } from '../snapshot.js';
import type { GameCache } from './cache.js';
import { agentToMove, planMove, TimeUpError, type MovePlan } from './plan.js';
import { DEFAULT_CLOCK_RULES, type ClockRules } from '../clock/clock.js';
import { rateBatch } from './rate.js';
import { writeMoves } from './write.js';
import { LobbyThrottle, writeLobbyRows } from './lobby-throttle.js';
import { tokenVersionsOf } from '../../players/identity.js';
import { signedOut } from '../../auth/signed-out.js';

export interface MoveRequest {
  playerId: string;
  gameId: string;
  move: Move;
  expectedSeq: number;
  reason: string | null;
  idempotencyKey?: string | undefined;
  /**
   * A person's move: the token version their bearer token carries. The write applies the
   * move only while the player's token_version still equals it (sign-out bumps it), so
   * the route needs no read of its own; agents' moves have none.
   */
  tokenVersion?: number | undefined;
}

export interface MoveResult {
  response: MoveResponse;
  /** True when the response was replayed from a stored Idempotency-Key. */
  replayed: boolean;
  by: 'human' | 'agent';
}

interface Pending {
  req: MoveRequest;
  stored: StoredRequest | null;
  attempts: number;
  /** Plan from a fresh read, not the cache (set after a failed seq check). */
  fresh: boolean;
  /** Write alone (after a batch failed on a key taken meanwhile). */
  solo: boolean;
  resolve(r: MoveResult): void;
  reject(e: unknown): void;
}

export interface BatcherOptions {
  db: Db;
  cache: GameCache;
  publisher: DirectPublisher;
  committed(gameId: string, agentDue: boolean, result: MoveResult, type: string): void;
  maxBatch?: number;
  /** Told the size of every batch written (metrics). */
  onBatch?: (moves: number) => void;
  /** Batches written at once (their games never overlap). */
  concurrency?: number;
  clocks?: ClockRules;
  /** A committed move set its game's next deadline (the flag scheduler arms a timer). */
  onDeadline?: (at: Date) => void;
  /** A mover's time had run out: settle the game's deadline (flag it) before the refusal is answered. */
  timeUp?: (gameId: string, now: Date) => Promise<unknown>;
  /** At most one lobby row per game per this many ms for plain moves (0: every move; moves/lobby-throttle.ts). */
  lobbyEveryMs?: number;
}

const MAX_ATTEMPTS = 6;

/**
 * Group commit for moves: requests that arrive while a batch is being written wait for
 * the next one, and each batch (up to `maxBatch` moves, one per game) is planned in
 * memory from cached rows and written in one statement (moves/write.ts). Every
 * request is answered after the statement carrying its move returned, i.e. after
 * COMMIT; its events are then handed to the direct publisher.
 */
export class MoveBatcher {
  private queue: Pending[] = [];
  private running = 0;
  private readonly busyGames = new Set<string>();
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly clocks: ClockRules;
  private scheduled = false;
  private readonly lobby: LobbyThrottle;

  constructor(private readonly o: BatcherOptions) {
    this.maxBatch = o.maxBatch ?? 256;
    this.clocks = o.clocks ?? DEFAULT_CLOCK_RULES;
    this.concurrency = o.concurrency ?? 1;
    this.lobby = new LobbyThrottle(o.lobbyEveryMs ?? 0, async (rows) => o.publisher.publish(await writeLobbyRows(o.db, rows)));
  }

  /** Shutdown, after the last request: the lobby rows still held are written. */
  close(): Promise<void> {
    return this.lobby.close();
  }

  submit(req: MoveRequest): Promise<MoveResult> {
    return new Promise((resolve, reject) => {
      const stored = req.idempotencyKey
        ? { playerId: req.playerId, key: req.idempotencyKey,
            fingerprint: requestFingerprint('move', req.gameId, { move: req.move, expectedSeq: req.expectedSeq }) }
        : null;
      this.queue.push({ req, stored, attempts: 0, fresh: false, solo: false, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the requests parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.concurrency && this.queue.length) {
        const batch = this.take();
        if (!batch.length) break;
        this.running++;
        for (const p of batch) this.busyGames.add(p.req.gameId);
        void this.process(batch).finally(() => {
          for (const p of batch) this.busyGames.delete(p.req.gameId);
          this.running--;
          if (this.queue.length) this.schedule();
        });
      }
    });
  }

  /** The next batch: queue order, one move per game and per Idempotency-Key; a solo item goes alone. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const games = new Set<string>();
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const p of this.queue) {
      const key = p.stored ? `${p.stored.playerId}\n${p.stored.key}` : null;
      const fits = batch.length < this.maxBatch && !games.has(p.req.gameId) && !this.busyGames.has(p.req.gameId) &&
        !(key && keys.has(key)) && !(p.solo && batch.length) && !(batch[0]?.solo);
      if (!fits) {
        rest.push(p);
        continue;
      }
      batch.push(p);
      games.add(p.req.gameId);
      if (key) keys.add(key);
    }
    this.queue = rest;
    return batch;
  }

  private retry(p: Pending, opts: { fresh?: boolean; solo?: boolean } = {}): void {
    p.attempts += 1;
    if (p.attempts >= MAX_ATTEMPTS) {
      p.reject(new ApiError('conflict', 'the game is too busy right now; retry'));
      return;
    }
    if (opts.fresh) p.fresh = true;
    if (opts.solo) p.solo = true;
    this.queue.push(p);
  }

  private async process(batch: Pending[]): Promise<void> {
    try {
      // The batch's time: what its moves are charged to the clocks and stored as updated_at.
      const now = new Date();
      await this.write(await this.plan(batch, now), now);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** Replays, rows (cache or one read), plans; rejects what fails its rules; returns what is to be written. */
  private async plan(batch: Pending[], now: Date): Promise<{ p: Pending; plan: MovePlan }[]> {
    const { db, cache } = this.o;
    let live = batch;
    const keyed = live.filter((p) => p.stored).map((p) => p.stored!);
    const replays = new Map<Pending, unknown>();
    if (keyed.length) {
      const found = await storedResponses(db, keyed);
      for (const p of live) {
        const hit = p.stored ? found.get(p.stored) : undefined;
        if (hit !== undefined) replays.set(p, hit);
      }
    }
    // The write checks the token version of what it writes; what is answered without a
    // write (a replay) or written again after a failed check (a retry: the check that
    // failed may have been the version's) is checked here, in one read for the batch.
    const signedOutOnes = await this.signedOut(live.filter((p) => replays.has(p) || p.fresh));
    live = live.filter((p) => {
      if (signedOutOnes.has(p)) {
        p.reject(signedOut());
        return false;
      }
      if (!replays.has(p)) return true;
      const hit = replays.get(p);
      if (hit instanceof ApiError) p.reject(hit);
      else p.resolve({ response: hit as MoveResponse, replayed: true, by: 'human' });
      return false;
    });
    const fresh = new Map<string, GameRow>();
    const load = async (ids: string[]) => {
      if (!ids.length) return;
      const { rows } = await db.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = ANY($1::uuid[])`, [ids]);
      for (const r of rows) {
        fresh.set(r.id, r);
        cache.put(r);
      }
    };
    await load([...new Set(live.filter((p) => p.fresh || !cache.get(p.req.gameId)).map((p) => p.req.gameId))]);
    const out: { p: Pending; plan: MovePlan }[] = [];
    const recheck: Pending[] = [];
    const refused: [Pending, unknown][] = [];
    const tryPlan = (p: Pending, final: boolean) => {
      const row = fresh.get(p.req.gameId) ?? (p.fresh ? undefined : cache.get(p.req.gameId));
      if (!row) return refused.push([p, notFound('game')]);
      try {
        out.push({ p, plan: planMove(row, p.req.playerId, p.req.move, p.req.expectedSeq, p.req.reason, now, this.clocks) });
      } catch (err) {
        // A refusal from a cached row is confirmed on a fresh one (another replica may have moved on).
        if (!final && !fresh.has(p.req.gameId)) recheck.push(p);
        else refused.push([p, err]);
      }
    };
    for (const p of live) tryPlan(p, false);
    if (recheck.length) {
      await load(recheck.map((p) => p.req.gameId));
      for (const p of recheck) tryPlan(p, true);
    }
    // A keyed request refused because its own twin committed meanwhile (another
    // replica, after our first look) gets the twin's response, not the refusal.
    const twins = refused.filter(([p]) => p.stored).map(([p]) => p.stored!);
    const late = twins.length ? await storedResponses(db, twins) : new Map();
    // A signed-out token is answered 401 whatever else is wrong with its move.
    const outOfDate = await this.signedOut(refused.map(([p]) => p));
    for (const [p, err] of refused) {
      if (outOfDate.has(p)) {
        p.reject(signedOut());
        continue;
      }
      const hit = p.stored ? late.get(p.stored) : undefined;
      // Out of time (confirmed on a fresh row): the flag is written before the answer.
      if (hit === undefined && err instanceof TimeUpError && this.o.timeUp) {
        void this.o.timeUp(err.gameId, now).catch(() => {}).finally(() => p.reject(err));
      } else if (hit === undefined) p.reject(err);
      else if (hit instanceof ApiError) p.reject(hit);
      else p.resolve({ response: hit as MoveResponse, replayed: true, by: 'human' });
    }
    return out;
  }

  /** The requests among `ps` whose token was signed out since it was issued. */
  private async signedOut(ps: Pending[]): Promise<Set<Pending>> {
    const checked = ps.filter((p) => p.req.tokenVersion !== undefined);
    if (!checked.length) return new Set();
    const current = await tokenVersionsOf(this.o.db, [...new Set(checked.map((p) => p.req.playerId))]);
    return new Set(checked.filter((p) => current.get(p.req.playerId) !== p.req.tokenVersion));
  }

  private async write(planned: { p: Pending; plan: MovePlan }[], now: Date): Promise<void> {
    if (!planned.length) return;
    const rated = planned.filter(({ plan }) => plan.needsRating).map(({ plan }) => plan);
    const build = () => planned.map(({ p, plan }) => {
      plan.after.updated_at = now;
      plan.after.updated_key = String(now.getTime() * 1000);
      const game = toSnapshot(plan.after);
      const response: MoveResponse = { game, seq: plan.moveSeq };
      // A change of status (the game ends) reaches the lobby at once; a plain move may wait.
      const urgent = plan.after.status !== plan.before.status;
      const lobby = { game: toSummary(game) };
      return {
        p, plan, response, playerId: p.req.playerId, tokenVersion: p.req.tokenVersion ?? null, reason: p.req.reason,
        lobby: this.lobby.admit(plan.after.id, lobby, urgent) ? lobby : null,
        ...(p.stored ? { idempotency: { key: p.stored.key, fingerprint: p.stored.fingerprint, response } } : {}),
      };
    });
    this.o.onBatch?.(planned.length);
    const marks = this.o.publisher.takeMarks();
    const held = this.lobby.due();
    // Moves that end rated games: the ratings rows are locked, read and written in one
    // transaction with the batch (4 round trips per batch); otherwise one statement.
    const run = async (q: Queryable) => {
      const ratings = rated.length ? await rateBatch(q, rated) : undefined;
      const items = build();
      const result = await writeMoves(q, items, now, marks.ids, ratings, held);
      if (rated.some((plan) => !result.applied.has(plan.after.id))) throw new StaleRated();
      return { items, result };
    };
    let items, result;
    try {
      ({ items, result } = rated.length ? await this.o.db.transaction(run) : await run(this.o.db));
      marks.settle(true);
      for (const h of held) this.lobby.written(h.gameId);
    } catch (err) {
      marks.settle(false);
      this.lobby.giveBack(held);
      // A key taken meanwhile (unique violation) fails the whole statement: write each alone.
      if ((err as { code?: string }).code === '23505') {
        for (const { p } of planned) this.retry(p, { solo: true });
        return;
      }
      // A rated game moved on: its ratings were computed on old rows; all again, from fresh reads.
      if (err instanceof StaleRated) {
        for (const { p, plan } of planned) {
          this.o.cache.drop(plan.after.id);
          this.retry(p, { fresh: true });
        }
        return;
      }
      throw err;
    }
    this.o.publisher.publish(result.events);
    for (const it of items) {
      const id = it.plan.after.id;
      if (!result.applied.has(id)) {
        // The game moved on since the row was read: re-plan from a fresh read.
        this.o.cache.drop(id);
        this.retry(it.p, { fresh: true });
        continue;
      }
      this.o.cache.put(it.plan.after);
      if (it.lobby !== null) this.lobby.written(id);
      if (it.plan.after.flag_at) this.o.onDeadline?.(it.plan.after.flag_at);
      const r: MoveResult = { response: it.response, replayed: false, by: it.plan.by };
      this.o.committed(id, agentToMove(it.plan.after), r, it.plan.after.type);
      it.p.resolve(r);
    }
  }
}

class StaleRated extends Error {}
