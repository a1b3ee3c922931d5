import type { GameRow } from '../snapshot.js';

/**
 * The rows of the games this replica served lately, with their seq. A move is planned
 * from here without a read; the write then checks that the game is still at the row's
 * seq, so a row another replica moved on from is caught there (and dropped, and the
 * move re-planned from a fresh read), never trusted. Bounded: least recently used out.
 */
export class GameCache {
  private readonly rows = new Map<string, GameRow>();

  constructor(private readonly max = 20_000) {}

  get(id: string): GameRow | undefined {
    const row = this.rows.get(id);
    if (row) {
      this.rows.delete(id);
      this.rows.set(id, row);
    }
    return row;
  }

  /** Remember a row as committed; an older seq than the one held never replaces it. */
  put(row: GameRow): void {
    const held = this.rows.get(row.id);
    if (held && held.seq > row.seq) return;
    this.rows.delete(row.id);
    if (row.status === 'finished') return; // no move will ask for it again
    this.rows.set(row.id, row);
    if (this.rows.size > this.max) this.rows.delete(this.rows.keys().next().value as string);
  }

  drop(id: string): void {
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }
}
