import type { GameSummary } from '@monkeytown/shared/schemas';

/**
 * The newest seq seen per game in the lobby. Lobby events arrive in publish order, and
 * two replicas can publish a game's summaries out of its own order (docs/api.md, lobby
 * events), so an older summary of a game must not undo a newer one already shown.
 */
export class NewestSummary {
  private readonly seqs = new Map<string, number>();

  /** Remembers these (a freshly loaded list) without judging them. */
  note(games: readonly GameSummary[]): void {
    for (const g of games) this.seqs.set(g.id, Math.max(g.seq, this.seqs.get(g.id) ?? 0));
  }

  /** True when a newer summary of this game was already seen; otherwise remembers it. */
  isStale(g: GameSummary): boolean {
    const seen = this.seqs.get(g.id);
    if (seen !== undefined && g.seq < seen) return true;
    this.seqs.set(g.id, g.seq);
    return false;
  }
}
