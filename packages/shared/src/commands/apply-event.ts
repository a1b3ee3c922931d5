import { engineFor, engineLoaded } from '../games/index.js';
import type { GameEventBody } from '../schemas/events.js';
import type { ClockState, GameSnapshot, Seat, SeatInfo } from '../schemas/games.js';
import { offerSurvivesMove } from './offer-lapse.js';

/**
 * One event as a fold needs it: `seq`, `kind`, `data` typed by kind, and `at` when known
 * (a stored event, a stream event; a client's own move rebuilt from its POST has none).
 * A `GameEvent` from GET /api/games/:id/events is one.
 */
export type FoldEvent = { seq: number; at?: string } & GameEventBody;
type Of<K extends FoldEvent['kind']> = Extract<FoldEvent, { kind: K }>;

export const otherSeat = (seat: Seat): Seat => (seat === 0 ? 1 : 0);

/**
 * What GET /api/games/:id would say after `event`, from what it said before it: the one
 * fold of a game's events, used by the web's game model and checked against the server
 * by its tests. Pure; an event at or below `game.seq` is already in the snapshot and
 * changes nothing (so duplicates and replays are harmless). Events must come in seq
 * order: a caller that may see gaps (the web) holds later events back until the gap fills.
 *
 * What no event can tell: `spectators` (the stream counts them), a running clock as of
 * now (the snapshot counts it down to the read; the fold keeps the reading of the event
 * that set it), `updatedAt` (taken from the event's `at`, which the server writes in the
 * same commit but not always from the same clock) and the players' ratings as the ratings
 * table has them now (the fold has the seat's rating at the join and a rated game.over's
 * new one; a player's later games, and whether that leaves them provisional, it cannot
 * see). Chess's legal moves need its rules
 * loaded (`loadEngine('chess')`); until then they stay empty.
 */
export function applyEvent(game: GameSnapshot, event: FoldEvent): GameSnapshot {
  if (event.seq <= game.seq) return game;
  return { ...next(game, event), seq: event.seq };
}

/** A game's snapshot from its events alone (the first being game.created), or null without one. */
export function replayEvents(events: readonly FoldEvent[]): GameSnapshot | null {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const created = sorted.find((e): e is Of<'game.created'> => e.kind === 'game.created');
  return created ? sorted.reduce(applyEvent, { ...created.data.game, seq: created.seq - 1 }) : null;
}

function next(game: GameSnapshot, ev: FoldEvent): GameSnapshot {
  switch (ev.kind) {
    case 'game.created':
      return ev.data.game;
    case 'player.joined':
      return settle(joined(game, ev), ev);
    case 'agent.thinking':
    case 'chat':
      return game; // no change to the game but its seq
    case 'move': {
      const d = ev.data;
      const played: GameSnapshot = {
        ...game, state: d.state, turn: d.turn, status: d.status, moveCount: d.moveNumber,
        clockState: d.clockState === undefined ? game.clockState : d.clockState,
      };
      return settle(lapseOffers(played, d.seat), ev);
    }
    case 'takeback': {
      const d = ev.data;
      // An accepted takeback answers every draw or takeback offer (the server clears them).
      const back: GameSnapshot = {
        ...game, state: d.state, turn: d.turn, moveCount: d.moveCount, offers: { ...game.offers, draw: null, takeback: null },
        clockState: d.clockState === undefined ? game.clockState : d.clockState,
      };
      return settle(back, ev);
    }
    case 'game.over':
      return settle(over(game, ev), ev);
    case 'offer': {
      const d = ev.data;
      return { ...game, offers: { ...game.offers, [d.offer]: d.action === 'offered' ? d.seat : null } };
    }
    case 'rematch':
      return { ...game, rematchId: ev.data.gameId, offers: { ...game.offers, rematch: null } };
  }
}

/**
 * A seat was taken. The event says what the join made of the game (status, turn, clocks:
 * full, none running, with the first mover's `firstMoveBy` — the clocks start after each
 * side's first move); events stored before it did carry only the player, and then the rule
 * is the server's of that time: the second seat filling starts the game with the first
 * mover to move, and a timed game's clocks start full, the first mover's running, at the join.
 */
function joined(game: GameSnapshot, ev: Of<'player.joined'>): GameSnapshot {
  const d = ev.data;
  const players: SeatInfo[] = [...game.players.filter((p) => p.seat !== d.player.seat), d.player].sort((a, b) => a.seat - b.seat);
  let status = d.status ?? game.status;
  let turn = d.turn === undefined ? game.turn : d.turn;
  if (d.status === undefined && game.status === 'open' && players.length === 2) {
    status = 'active';
    turn = engineFor(game.type)?.turn(game.state) ?? 0;
  }
  let clockState = game.clockState;
  if (d.clockState !== undefined) clockState = d.clockState;
  else if (game.clock && status === 'active' && game.status === 'open') {
    const full = game.clock.initialSeconds * 1000;
    clockState = { remainingMs: [full, full], running: turn, at: ev.at ?? game.updatedAt } satisfies ClockState;
  }
  return { ...game, players, status, turn, clockState };
}

/** The game ended: the result, each seat's new rating (rated games), the clocks stopped as the server left them. */
function over(game: GameSnapshot, ev: Of<'game.over'>): GameSnapshot {
  const { result, ratings, clockState } = ev.data;
  const players = game.players.map((p) => {
    const r = ratings?.find((x) => x.seat === p.seat);
    return r ? { ...p, rating: r.after } : p;
  });
  return {
    ...game, players, status: 'finished', turn: null, result, ratingChanges: ratings ?? game.ratingChanges,
    clockState: clockState === undefined ? game.clockState : clockState,
  };
}

/** A move makes offers lapse with no event (docs/api.md; the rule: offer-lapse.ts). */
function lapseOffers(game: GameSnapshot, mover: Seat): GameSnapshot {
  const { draw, takeback } = game.offers;
  const keep = (kind: 'draw' | 'takeback', offerer: Seat | null) => (offerer !== null && offerSurvivesMove(kind, offerer, mover) ? offerer : null);
  const next = { draw: keep('draw', draw), takeback: keep('takeback', takeback) };
  if (next.draw === draw && next.takeback === takeback) return game;
  return { ...game, offers: { ...game.offers, ...next } };
}

/**
 * What the snapshot derives from the rest after a change of state: no turn, legal moves or
 * agent thinking outside an active game, and no draw or takeback offer either (a rematch
 * offer is the finished game's own); `updatedAt` is the state change's time.
 */
function settle(game: GameSnapshot, ev: FoldEvent): GameSnapshot {
  const active = game.status === 'active';
  const turn = active ? game.turn : null;
  const engine = engineFor(game.type);
  const legalMoves = active && engine && engineLoaded(game.type) ? (engine.legalMoves(game.state) as GameSnapshot['legalMoves']) : [];
  const mover = turn === null ? undefined : game.players.find((p) => p.seat === turn);
  const offers = active ? game.offers : { ...game.offers, draw: null, takeback: null };
  return { ...game, turn, legalMoves, agentThinking: mover?.kind === 'agent', offers, updatedAt: ev.at ?? game.updatedAt };
}

