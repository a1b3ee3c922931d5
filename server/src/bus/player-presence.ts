import type { Topic } from '@monkeytown/shared';
import type { PlayerPresence, PlayerStanding, PresentPlayer, Seats } from './types.js';

/**
 * Players named in the list shown to clients (the `presence` message), the seated ones
 * included. Only the list is capped: whether a player is present is looked up by id
 * (`standing`), so no crowd can push a seated player out of a claim's view.
 */
export const MAX_LISTED_PLAYERS = 64;

/** Offline non-seated players one process remembers per game (embedded mode); older ones are forgotten first. */
export const MAX_REMEMBERED_OFFLINE = 1000;

const byRecency = (a: PlayerPresence, b: PlayerPresence) => Number(b.online) - Number(a.online) || b.since.localeCompare(a.since);

/**
 * The list shown to clients: the seated players first (in seat order; a seat never seen
 * on the game has no entry), then the other signed-in watchers, online first and the
 * most recent first, MAX_LISTED_PLAYERS in all. Clients look up the seats' player ids in
 * it (the web's claim countdown does), so the seats must never be crowded out.
 */
export function listPresence(all: readonly PlayerPresence[], seats: Seats | null): PlayerPresence[] {
  const seated = new Set((seats ?? []).filter((s): s is string => s !== null));
  const first = [...seated].flatMap((id) => all.find((p) => p.playerId === id) ?? []);
  const rest = all.filter((p) => !seated.has(p.playerId)).sort(byRecency);
  return [...first, ...rest].slice(0, MAX_LISTED_PLAYERS).map(({ playerId, online, since }) => ({ playerId, online, since }));
}

/** "<p0> <p1>" with "" for an open seat: how seats are kept as text (Redis). */
export const seatsToText = (seats: Seats): string => seats.map((s) => s ?? '').join(' ');
export const seatsFromText = (text: string | null): Seats | null => {
  if (text === null) return null;
  const [a = '', b = ''] = text.split(' ');
  return [a || null, b || null];
};

interface LocalEntry extends PlayerStanding {
  /** Replicas are one process here: while online, the version it reported. */
  tokenVersion: number | null;
}

/**
 * Per-game player presence of ONE process (the in-process bus of the embedded mode):
 * the event-stream tells it which players have a stream open on a game; a player whose
 * last stream closed is offline since that moment.
 */
export class LocalPlayerPresence {
  private readonly games = new Map<Topic, Map<string, LocalEntry>>();
  private readonly seats = new Map<Topic, Seats>();

  set(topic: Topic, here: readonly PresentPlayer[], now = new Date()): void {
    let m = this.games.get(topic);
    if (!m) this.games.set(topic, (m = new Map()));
    const at = now.toISOString();
    const versions = new Map(here.map((p) => [p.playerId, p.tokenVersion]));
    for (const [id, p] of m) if (p.online && !versions.has(id)) m.set(id, { playerId: id, online: false, since: at, tokenVersion: null });
    for (const [id, version] of versions) {
      const was = m.get(id);
      m.set(id, { playerId: id, online: true, since: was?.online ? was.since : at, tokenVersion: version });
    }
    this.forgetOldOffline(topic, m);
  }

  setSeats(topic: Topic, seats: Seats): void {
    this.seats.set(topic, seats);
  }

  seatsOf(topic: Topic): Seats | null {
    return this.seats.get(topic) ?? null;
  }

  /** The list shown to clients (seats first, capped). */
  get(topic: Topic): PlayerPresence[] {
    return listPresence([...(this.games.get(topic)?.values() ?? [])], this.seats.get(topic) ?? null);
  }

  /** Exactly these players, whoever else watches. */
  standing(topic: Topic, ids: readonly string[]): PlayerStanding[] {
    const m = this.games.get(topic);
    return ids.flatMap((id) => {
      const p = m?.get(id);
      return p ? [{ ...p }] : [];
    });
  }

  /**
   * Memory stays bounded: past MAX_REMEMBERED_OFFLINE offline watchers, the longest gone
   * are forgotten. Never a seated player, and never anyone online.
   */
  private forgetOldOffline(topic: Topic, m: Map<string, LocalEntry>): void {
    const seated = new Set(this.seats.get(topic) ?? []);
    const offline = [...m.values()].filter((p) => !p.online && !seated.has(p.playerId));
    if (offline.length <= MAX_REMEMBERED_OFFLINE) return;
    offline.sort((a, b) => a.since.localeCompare(b.since));
    for (const p of offline.slice(0, offline.length - MAX_REMEMBERED_OFFLINE)) m.delete(p.playerId);
  }
}
