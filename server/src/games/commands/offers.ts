import { randomUUID } from 'node:crypto';
import type { GameCommand, OfferResponse } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { agentAcceptsDraw } from '@monkeytown/shared/ai';
import { lapseAt, openOffers, type StoredOffers } from './offers-state.js';
import { loadGameRow, toSnapshot, type GameRow } from '../snapshot.js';
import { Draft, kindOf, other } from './draft.js';
import { hasMove, movesOf, saveOffers, startRematch, takeBack, type MoveRow } from './takeback.js';
import type { CommandDef, CommandOf, CommandPlan } from './types.js';

interface OfferInputs {
  /** The stored moves (takebacks only). */
  moves: MoveRow[];
  /** The game an agreed rematch became (asked again after the agreement). */
  rematchRow: GameRow | null;
  /** The id a rematch agreed now gets. */
  newId: string;
}

type Plan = CommandPlan<OfferResponse>;

/**
 * POST /offers: offer, accept, decline or withdraw ("cancel") a draw, a takeback or a
 * rematch. Every change emits an `offer` event (not a state change: a move in flight
 * with the same expectedSeq still lands); agreements end the game, take moves back or
 * start the rematch. Against an agent the agent answers at once.
 */
export const offers: CommandDef<CommandOf<'offers'>, OfferInputs, OfferResponse> = {
  lifecycle: (c) => `offer.${c.body.offer}` as GameCommand,
  actor: 'player',
  expectedSeq: (c) => c.body.expectedSeq,
  idempotent: { route: 'offers', body: (c) => c.body },
  batched: false,
  async inputs(q, row, c) {
    const kind = c.body.offer;
    return {
      moves: kind === 'takeback' ? await movesOf(q, row.id) : [],
      rematchRow: kind === 'rematch' && row.rematch_id ? await loadGameRow(q, row.rematch_id) : null,
      newId: randomUUID(),
    };
  },
  plan(row, c, { seat: s, now, clocks, inputs }) {
    const seat = s!;
    const { body } = c;
    const kind = body.offer;
    const d = new Draft(row, now, clocks);
    const reply = (): Plan => d.done((game, rematch) => ({ game, ...(rematch ? { rematch } : {}) }));
    if (kind === 'rematch' && row.rematch_id) {
      // Already agreed (both pressed, or a repeat): the answer names the game it became.
      if (body.action === 'decline' || body.action === 'cancel') throw new ApiError('no_offer', 'the rematch was already agreed');
      const made = inputs.rematchRow ? toSnapshot(inputs.rematchRow) : null;
      return d.done((game) => ({ game, ...(made ? { rematch: made } : {}) }));
    }
    const open = openOffers(row);
    const mine = open[kind] === seat;
    const theirs = open[kind] === other(seat);
    // A finished game keeps only its rematch offer (draw/takeback offers ended with the game).
    const stored: StoredOffers = kind === 'rematch' ? (row.offers?.rematch ? { rematch: row.offers.rematch } : {}) : { ...(row.offers ?? {}) };

    /** `by` agrees to `kind` offered by the other side (or by both at once). */
    const agree = (by: 0 | 1): Plan => {
      d.emit('offer', { offer: kind, action: 'accepted', seat: by });
      if (kind === 'rematch') {
        // The person creates it (an agent's acceptance is made on the person's behalf).
        startRematch(d, kindOf(row, by) === 'agent' ? other(by) : by, inputs.newId);
        return reply();
      }
      saveOffers(d, null);
      if (kind === 'draw') d.finish({ winner: null, reason: 'agreement' });
      else takeBack(d, inputs.moves, other(by));
      return reply();
    };

    switch (body.action) {
      case 'offer': {
        if (mine) return reply(); // already offered: nothing new
        // Both pressed: a draw offer against a standing one is an agreement, a rematch too.
        if (theirs && kind !== 'takeback') return agree(seat);
        if (theirs) throw new ApiError('conflict', 'your opponent asked for a takeback: answer it first');
        if (kind === 'takeback' && !hasMove(d, inputs.moves, seat)) throw new ApiError('conflict', 'you have no move to take back');
        d.emit('offer', { offer: kind, action: 'offered', seat });
        const agentSeat = other(seat);
        if (kindOf(row, agentSeat) === 'agent') {
          // The agent answers at once: takebacks and rematches granted, draws by its rule.
          if (kind === 'draw' && !agentAcceptsDraw(row.type, row.state, agentSeat, row.move_count)) {
            d.emit('offer', { offer: 'draw', action: 'declined', seat: agentSeat });
            return reply();
          }
          return agree(agentSeat);
        }
        if (kind === 'rematch') stored.rematch = { seat };
        else stored[kind] = { seat, seq: row.state_seq, until: lapseAt(kind, row, seat) };
        saveOffers(d, stored);
        return reply();
      }
      case 'accept':
        if (!theirs) throw new ApiError('no_offer', `there is no ${kind} offer from your opponent to accept`);
        return agree(seat);
      case 'decline':
      case 'cancel': {
        const declining = body.action === 'decline';
        if (declining ? !theirs : !mine) {
          throw new ApiError('no_offer', declining ? `there is no ${kind} offer from your opponent` : `you have no open ${kind} offer`);
        }
        delete stored[kind];
        saveOffers(d, stored);
        d.emit('offer', { offer: kind, action: declining ? 'declined' : 'cancelled', seat });
        return reply();
      }
    }
  },
};
