import type { GameSummary } from '@monkeytown/shared/schemas';

/** The lobby's three lists: open seats, live games, recently finished. */
export interface LobbyLists {
  open: GameSummary[];
  active: GameSummary[];
  finished: GameSummary[];
}

function upsert(list: GameSummary[], g: GameSummary, keep: boolean, max: number): GameSummary[] {
  const rest = list.filter((x) => x.id !== g.id);
  return keep ? [g, ...rest].slice(0, max) : rest;
}

/** A game's newest summary moved into the list its status belongs to (and out of the others). */
export function applySummary(lists: LobbyLists, g: GameSummary): LobbyLists {
  return {
    open: upsert(lists.open, g, g.status === 'open', 20),
    active: upsert(lists.active, g, g.status === 'active', 20),
    finished: upsert(lists.finished, g, g.status === 'finished', 10),
  };
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
