import type { GameSummary } from '@monkeytown/shared/schemas';

/** The lobby's three lists: open seats, live games, recently finished. */
export interface LobbyLists {
  open: GameSummary[];
  active: GameSummary[];
  finished: GameSummary[];
}

const MAX: { readonly [K in keyof LobbyLists]: number } = { open: 20, active: 20, finished: 10 };

/** One list after a game's newest summary: at its head if the game's status is the list's, else out of it. */
export function placeSummary(list: GameSummary[], g: GameSummary, status: keyof LobbyLists): GameSummary[] {
  const rest = list.filter((x) => x.id !== g.id);
  return g.status === status ? [g, ...rest].slice(0, MAX[status]) : rest;
}

/** A game's newest summary moved into the list its status belongs to (and out of the others). */
export function applySummary(lists: LobbyLists, g: GameSummary): LobbyLists {
  return { open: placeSummary(lists.open, g, 'open'), active: placeSummary(lists.active, g, 'active'), finished: placeSummary(lists.finished, g, 'finished') };
}

/**
 * Lists read over REST, with the live summaries that arrived while that read was in flight
 * laid over them where newer than the list's own copy of the game. Without this a reload
 * (on every (re)connect) would replace the lists with a read older than events already
 * shown: a seat opened during the read vanished from the lobby until the next event.
 */
export function overlayLive(fetched: LobbyLists, live: readonly GameSummary[]): LobbyLists {
  const seqs = new Map([...fetched.open, ...fetched.active, ...fetched.finished].map((g) => [g.id, g.seq]));
  let out = fetched;
  for (const g of live) {
    if ((seqs.get(g.id) ?? -1) >= g.seq) continue;
    seqs.set(g.id, g.seq);
    out = applySummary(out, g);
  }
  return out;
}
