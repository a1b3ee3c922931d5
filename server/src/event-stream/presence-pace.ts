import type { GamePresence } from '../bus/types.js';

/**
 * When a game's presence reaches the sockets already watching it (issue 28).
 *
 * Before, every change went to every watcher within ~150 ms: a crowd arriving at once
 * made each arrival cost a message to everyone already there (about 27,000 presence
 * messages for 5,000 arrivals, 0.7 M for 19,500: more than all the game's events). Now a
 * broadcast to the A sockets of a game (on this replica) is paid for by the changes it
 * carries, or waits for the crowd to settle:
 *
 * - **seats**: a change of a seated player (online, offline, since when) goes out at once:
 *   the players' claim countdown reads it;
 * - **paid**: once the changes since the last broadcast (arrivals, departures, list
 *   changes, each counted) reach half the audience, at most every MIN_GAP_MS: at most 2
 *   messages per change, however long the crowd keeps coming and going (a crowd arriving
 *   is shown 1 → 2 → 4 … → N);
 * - **settled**: the exact state once the game has been quiet for `quietMs(A)` (250 ms up
 *   to 1,000 sockets, then 0.25 ms per socket, at most 5 s): each burst ends with one
 *   exact broadcast. A lone arrival in a crowd thus costs one broadcast, but at most one
 *   per quietMs(A) (≤ ~4,000 messages a second a game).
 *
 * An arriving socket is sent the state of the read its own arrival brings (~150 ms),
 * by itself (one message, none when a broadcast goes then anyway), so it never waits
 * for the pace to learn who is there. A crowd of N arriving costs at most about
 * N (their own) + 2N (paid) + N (settled) messages, not N²/2.
 */
export const MIN_GAP_MS = 250;
export const MAX_QUIET_MS = 5_000;
export const QUIET_MS_PER_SOCKET = 0.25;

/** How long a game must be quiet before its exact state goes to `audience` sockets. */
export const quietMs = (audience: number): number => Math.min(MAX_QUIET_MS, Math.max(MIN_GAP_MS, audience * QUIET_MS_PER_SOCKET));

/** What the pace compares of two states. */
export interface Shape {
  /** The seated players' entries: they must not wait. */
  urgent: string;
  spectators: number;
  /** The whole players list. */
  list: string;
}

/**
 * The shape of a read. Without seats (the game-server has not written them: best effort)
 * every listed player counts as seated, which is the behaviour before pacing.
 */
export function shapeOf(p: GamePresence): Shape {
  const seated = p.seats ? new Set(p.seats.filter((s): s is string => s !== null)) : null;
  const key = (x: GamePresence['players'][number]) => `${x.playerId} ${x.online ? 1 : 0} ${x.since}`;
  return {
    urgent: (seated ? p.players.filter((x) => seated.has(x.playerId)) : p.players).map(key).join(','),
    spectators: p.spectators,
    list: p.players.map(key).join(','),
  };
}

/** How many changes lie between two states read one after the other. */
export const changesBetween = (a: Shape, b: Shape): number => Math.abs(a.spectators - b.spectators) + (a.list === b.list ? 0 : 1);

export interface PaceState {
  /** The last broadcast (null: nothing sent yet on this replica). */
  sent: { urgent: string; at: number } | null;
  /** The newest state's urgent part. */
  urgent: string;
  /** Changes read since the last broadcast, and when the state last changed. */
  changes: number;
  changedAt: number;
  /** Sockets of the game on this replica. */
  audience: number;
}

/** How long to hold the newest state before broadcasting it (0: now). */
export function holdMs(s: PaceState, now: number): number {
  const { sent, audience } = s;
  if (!sent || sent.urgent !== s.urgent) return 0;
  const at = Math.min(2 * s.changes >= audience ? sent.at : Infinity, s.changedAt + quietMs(audience));
  return Math.max(0, Math.max(at, sent.at + MIN_GAP_MS) - now);
}
