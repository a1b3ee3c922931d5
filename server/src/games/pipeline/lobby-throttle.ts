import type { LobbyEventData } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import type { CommittedEvent } from '../../outbox/publisher.js';
import { committedEvent } from './events.js';

/** A lobby.game row held back: the game's newest summary (`{ game: GameSummary }`). */
export interface LobbyRow<D = LobbyEventData> {
  gameId: string;
  data: D;
}

/**
 * At most one lobby.game row per game per `everyMs` for plain moves. The lobby lists
 * games (players, status, whose turn, move count); a row on every move of every game
 * made the lobby's traffic grow with moves × lobby viewers, and cost each move an outbox
 * row, a bus publish and a fan-out to every lobby subscriber. Changes of status (a game
 * ending, …) always go at once; a plain move within `everyMs` of the game's last lobby
 * row is held, newest summary only, and written later: piggybacked on the next move
 * batch, or by a small statement of its own when no batch comes (`flush`), through the
 * outbox like every other row. Until then it lives in this process only: a crash loses
 * an intermediate move count on the lobby, which the game's next row (at the latest
 * the one that ends it) corrects. Per replica: another replica's rows for the same game can interleave, and clients
 * keep the summary with the highest `game.seq` (docs/event-stream.md).
 */
/** `D`: the held summary, the lobby.game event's data (a plain value in the throttle's own tests). */
export class LobbyThrottle<D = LobbyEventData> {
  /** gameId → when its last lobby row was written here (ms); only the last `everyMs` matter. */
  private readonly last = new Map<string, number>();
  private readonly held = new Map<string, D>();
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;
  private closed = false;

  constructor(
    private readonly everyMs: number,
    private readonly flush: (rows: LobbyRow<D>[]) => Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Should this move's summary be written with the move? If not, it is held. */
  admit(gameId: string, data: D, urgent: boolean): boolean {
    if (this.everyMs <= 0) return true;
    const last = this.last.get(gameId);
    const now = this.clock();
    if (urgent || last === undefined || now - last >= this.everyMs) {
      this.held.delete(gameId); // this newer summary goes now: an older held one is obsolete
      return true;
    }
    this.held.set(gameId, data);
    this.arm(last + this.everyMs - now);
    return false;
  }

  /** A lobby row of this game committed (with a move, or a held one): its interval restarts. */
  written(gameId: string): void {
    this.last.set(gameId, this.clock());
  }

  /** The held rows whose interval has passed (they leave the throttle: give back what fails). */
  due(): LobbyRow<D>[] {
    const now = this.clock();
    const out: LobbyRow<D>[] = [];
    for (const [gameId, data] of this.held) {
      if (now - (this.last.get(gameId) ?? 0) < this.everyMs) continue;
      out.push({ gameId, data });
      this.held.delete(gameId);
    }
    // Forget intervals that are over (no move of those games has been held).
    for (const [gameId, at] of this.last) if (now - at >= this.everyMs && !this.held.has(gameId)) this.last.delete(gameId);
    return out;
  }

  /** Rows taken by `due()` that could not be written: held again unless newer ones came. */
  giveBack(rows: LobbyRow<D>[]): void {
    for (const r of rows) if (!this.held.has(r.gameId)) this.held.set(r.gameId, r.data);
    if (rows.length) this.arm(this.everyMs);
  }

  /** Shutdown: no more timers; every held row written now (a graceful stop loses none). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = [...this.held].map(([gameId, data]) => ({ gameId, data }));
    this.held.clear();
    if (rows.length) await this.flush(rows).catch(() => {});
  }

  private arm(inMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(1, inMs));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.flushing) return this.arm(this.everyMs);
    const rows = this.due();
    if (rows.length) {
      this.flushing = true;
      try {
        await this.flush(rows);
        for (const r of rows) this.written(r.gameId);
      } catch {
        this.giveBack(rows);
      } finally {
        this.flushing = false;
      }
    }
    // Rows still held (their interval not over yet) need another look.
    if (this.held.size) this.arm(this.everyMs / 4);
  }
}

/** Held lobby rows on their own (no batch came to carry them): one statement, outbox rows in order. */
export async function writeLobbyRows(q: Queryable, rows: readonly LobbyRow[]): Promise<CommittedEvent[]> {
  const byGame = new Map(rows.map((r) => [r.gameId, r.data]));
  const { rows: out } = await q.query<{ id: number; topic: string; kind: string; at: Date; game_id: string }>(
    `INSERT INTO outbox (topic, seq, kind, data)
     SELECT 'lobby', 0, 'lobby.game', l.data::jsonb FROM unnest($1::text[]) WITH ORDINALITY AS l(data, n) ORDER BY n
     RETURNING id, topic, kind, at, data->'game'->>'id' AS game_id`,
    [rows.map((r) => JSON.stringify(r.data))],
  );
  return out.sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => committedEvent(r.id, r.topic, 0, r.kind, byGame.get(r.game_id)!, new Date(r.at)));
}
