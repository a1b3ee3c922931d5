import type { Topic } from '@monkeytown/shared';
import type { PlayerPresence } from './types.js';

/** Entries kept per game at most (signed-in spectators count too): the oldest offline go first. */
export const MAX_PLAYERS_PER_GAME = 64;

/**
 * Orders a game's player presence for readers (online first, then the most recently
 * seen) and keeps at most MAX_PLAYERS_PER_GAME. Entries are every signed-in player who
 * had an event stream open on the game — its seated players, and signed-in spectators:
 * a reader picks the seats' player ids.
 */
export function orderPresence(list: PlayerPresence[]): PlayerPresence[] {
  return list
    .sort((a, b) => Number(b.online) - Number(a.online) || b.since.localeCompare(a.since))
    .slice(0, MAX_PLAYERS_PER_GAME);
}

/**
 * Per-game player presence of ONE process (the in-process bus of the embedded mode):
 * the event-stream tells it which players have a stream open on a game; a player whose
 * last stream closed is offline since that moment.
 */
export class LocalPlayerPresence {
  private readonly games = new Map<Topic, Map<string, PlayerPresence>>();

  set(topic: Topic, here: readonly string[], now = new Date()): void {
    let m = this.games.get(topic);
    if (!m) this.games.set(topic, (m = new Map()));
    const at = now.toISOString();
    const ids = new Set(here);
    for (const [id, p] of m) if (p.online && !ids.has(id)) m.set(id, { playerId: id, online: false, since: at });
    for (const id of ids) if (!m.get(id)?.online) m.set(id, { playerId: id, online: true, since: at });
    if (m.size > MAX_PLAYERS_PER_GAME) {
      const keep = new Set(orderPresence([...m.values()]).map((p) => p.playerId));
      for (const id of m.keys()) if (!keep.has(id)) m.delete(id);
    }
  }

  get(topic: Topic): PlayerPresence[] {
    return orderPresence([...(this.games.get(topic)?.values() ?? [])].map((p) => ({ ...p })));
  }
}
