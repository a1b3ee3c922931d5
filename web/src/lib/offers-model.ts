// Issue 12's game events folded into the page's model: offers (draw, takeback, rematch),
// an accepted takeback, the agreed rematch. Kept apart from game-model.ts so that file
// only routes these kinds here. Spectators and reconnecting players get the same view
// as the players, because everything comes from the game's events (and the snapshot's
// `offers` / `rematchId` on load).
import type { GameSnapshot, Offers, Seat } from '@monkeytown/shared/schemas';
import type { FeedEvent, GameModel } from './game-model';

type OfferKindEvent = Extract<FeedEvent, { kind: 'offer' | 'takeback' | 'rematch' }>;

function withOffer(game: GameSnapshot, offer: keyof Offers, seat: Seat | null): GameSnapshot {
  return { ...game, offers: { ...game.offers, [offer]: seat } };
}

/**
 * `fresh`: the snapshot does not include this event yet (only then does it change the game);
 * the history (moves list, lastOffer) follows every event once, in seq order.
 */
export function foldOfferEvent(m: GameModel, ev: OfferKindEvent, fresh: boolean): GameModel {
  let { game, moves, lastOffer } = m;
  switch (ev.kind) {
    case 'offer': {
      const d = ev.data;
      if (fresh) game = withOffer(game, d.offer, d.action === 'offered' ? d.seat : null);
      lastOffer = { ...d, seq: ev.seq };
      break;
    }
    case 'takeback': {
      const d = ev.data;
      // The undone plies leave the move list (and the reasons panel) for everyone.
      moves = moves.slice(0, Math.max(0, moves.length - d.plies));
      if (fresh) {
        game = { ...game, state: d.state, turn: d.turn, moveCount: d.moveCount, agentThinking: false, offers: { ...game.offers, draw: null, takeback: null } };
        if (d.clockState !== undefined) game = { ...game, clockState: d.clockState };
      }
      break;
    }
    case 'rematch':
      if (fresh) game = { ...withOffer(game, 'rematch', null), rematchId: ev.data.gameId };
      break;
  }
  if (fresh) game = { ...game, seq: ev.seq };
  return { ...m, game, moves, lastOffer, historySeq: ev.seq };
}

/**
 * A move makes offers lapse with no event (docs/api.md): a takeback request at any move, a
 * draw offer when the offerer's opponent moves (the offerer's own move keeps it).
 */
export function lapseOffers(game: GameSnapshot, mover: Seat): GameSnapshot {
  const { draw, takeback } = game.offers;
  if (takeback === null && (draw === null || draw === mover)) return game;
  return { ...game, offers: { ...game.offers, draw: draw === mover ? draw : null, takeback: null } };
}

/** The seat that sits opposite `seat`. */
export const otherSeat = (seat: Seat): Seat => (seat === 0 ? 1 : 0);
