import type { GamePresence } from '../bus/types.js';

/**
 * When a game's presence reaches the sockets already watching it (issue 28).
 *
 * Before, every change went to every watcher within ~150 ms: a crowd arriving at once
 * made each arrival cost a message to everyone already there (about 27,000 presence
 * messages for 5,000 arrivals, 0.7 M for 19,500: more than all the game's events). Now:
 *
 * - a change of a seated player (online, offline, since when) goes out at once: the
 *   players' claim countdown reads it;
 * - anything else (the spectator count, the other signed-in watchers listed) goes out at
 *   most once per `settleMs(audience)`, carrying the state of that moment: 250 ms for up
 *   to 1,000 sockets on this replica, then 0.25 ms per socket, at most 5 s. A broadcast
 *   costs one message per socket, so whatever the churn a game's crowd receives at most
 *   ~4,000 presence messages per second per replica (4 per socket per second below 1,000);
 * - an arriving socket is sent the newest state at once, by itself (one message), so it
 *   never waits for the pace to learn who is there.
 */
export const MIN_SETTLE_MS = 250;
export const MAX_SETTLE_MS = 5_000;
export const SETTLE_MS_PER_SOCKET = 0.25;

/** The least time between two paced broadcasts to `audience` sockets. */
export function settleMs(audience: number): number {
  return Math.min(MAX_SETTLE_MS, Math.max(MIN_SETTLE_MS, audience * SETTLE_MS_PER_SOCKET));
}

/**
 * What of a game's presence must not wait: the seated players' entries. Without seats
 * (the game-server has not written them: best effort) every listed player counts as one,
 * which is the behaviour before pacing.
 */
export function urgentKey(p: GamePresence): string {
  const seated = p.seats ? new Set(p.seats.filter((s): s is string => s !== null)) : null;
  const listed = seated ? p.players.filter((x) => seated.has(x.playerId)) : p.players;
  return listed.map((x) => `${x.playerId} ${x.online ? 1 : 0} ${x.since}`).join(',');
}

/**
 * How long to hold a new state before broadcasting it (0: now). `sent` = the urgent key
 * of the last broadcast and when it went (null: nothing sent yet on this replica).
 */
export function holdMs(sent: { urgent: string; at: number } | null, urgent: string, audience: number, now: number): number {
  if (!sent || sent.urgent !== urgent) return 0;
  return Math.max(0, sent.at + settleMs(audience) - now);
}
