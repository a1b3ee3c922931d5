import type { OfferBody, OfferResponse } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { agentAcceptsDraw } from '@monkeytown/shared/ai';
import { kindOf, other, saveOffers, type ActionCtx } from './context.js';
import { lapseAt, openOffers, type StoredOffers } from './offers-state.js';
import { startRematch } from './rematch.js';
import { loadGameRow, toSnapshot, type GameRow } from '../snapshot.js';
import { hasMove, takeBack } from './takeback.js';

type Kind = OfferBody['offer'];

/** After `rematch` created a game, the service wires it up (cache, AI runner). */
export interface OfferOutcome extends OfferResponse {
  rematchRow?: GameRow;
}

/**
 * POST /offers: offer, accept, decline or withdraw ("cancel") a draw, a takeback or a
 * rematch. Every change emits an `offer` event (not a state change: a move in flight
 * with the same expectedSeq still lands); agreements end the game, take moves back or
 * start the rematch. Against an agent the agent answers at once.
 */
export async function offerAction(ctx: ActionCtx, body: OfferBody): Promise<OfferOutcome> {
  const { g, seat } = ctx;
  const r = g.row;
  const kind = body.offer;
  if (kind === 'rematch') {
    if (r.status !== 'finished') throw new ApiError('conflict', 'a rematch is offered once the game is over');
    if (r.rematch_id) {
      // Already agreed (both pressed, or a repeat): the answer names the game it became.
      if (body.action === 'decline' || body.action === 'cancel') throw new ApiError('no_offer', 'the rematch was already agreed');
      const row = await loadGameRow(g.q, r.rematch_id);
      return { game: await g.commit(), ...(row ? { rematch: toSnapshot(row) } : {}) };
    }
  } else {
    if (r.status === 'finished') throw new ApiError('game_over', 'the game is over');
    if (r.status !== 'active') throw new ApiError('conflict', 'the game has not started: waiting for an opponent');
  }
  const open = openOffers(r);
  const mine = open[kind] === seat;
  const theirs = open[kind] === other(seat);
  // A finished game keeps only its rematch offer (draw/takeback offers ended with the game).
  const stored: StoredOffers = kind === 'rematch' ? (r.offers?.rematch ? { rematch: r.offers.rematch } : {}) : { ...(r.offers ?? {}) };
  const event = (action: 'offered' | 'accepted' | 'declined' | 'cancelled', by: 0 | 1) => g.emit('offer', { offer: kind, action, seat: by });

  switch (body.action) {
    case 'offer': {
      if (mine) return { game: await g.commit() }; // already offered: nothing new
      // Both pressed: a draw offer against a standing one is an agreement, a rematch too.
      if (theirs && kind !== 'takeback') return agree(ctx, kind, seat);
      if (theirs) throw new ApiError('conflict', 'your opponent asked for a takeback: answer it first');
      if (kind === 'takeback' && !(await hasMove(g, seat))) throw new ApiError('conflict', 'you have no move to take back');
      await event('offered', seat);
      if (kindOf(g, other(seat)) === 'agent') return agentAnswers(ctx, kind);
      if (kind === 'rematch') stored.rematch = { seat };
      else stored[kind] = { seat, seq: g.stateSeq, until: lapseAt(kind, r, seat) };
      await saveOffers(g, stored);
      return { game: await g.commit() };
    }
    case 'accept':
      if (!theirs) throw new ApiError('no_offer', `there is no ${kind} offer from your opponent to accept`);
      return agree(ctx, kind, seat);
    case 'decline':
    case 'cancel': {
      const declining = body.action === 'decline';
      if (declining ? !theirs : !mine) {
        throw new ApiError('no_offer', declining ? `there is no ${kind} offer from your opponent` : `you have no open ${kind} offer`);
      }
      delete stored[kind];
      await saveOffers(g, stored);
      await event(declining ? 'declined' : 'cancelled', seat);
      return { game: await g.commit() };
    }
  }
}

/** `seat` agrees to `kind` offered by the other side (or by both at once). */
async function agree(ctx: ActionCtx, kind: Kind, seat: 0 | 1): Promise<OfferOutcome> {
  const { g } = ctx;
  await g.emit('offer', { offer: kind, action: 'accepted', seat });
  const offerer = other(seat);
  if (kind === 'rematch') return rematchNow(ctx, seat);
  await saveOffers(g, null);
  if (kind === 'draw') {
    g.row.status = 'finished';
    g.row.result = { winner: null, reason: 'agreement' };
    await ctx.finish(g.row.result);
  } else {
    await takeBack(g, offerer);
  }
  return { game: await g.commit() };
}

/** The agent's answer, in the same transaction: takebacks and rematches granted, draws by its rule. */
async function agentAnswers(ctx: ActionCtx, kind: Kind): Promise<OfferOutcome> {
  const { g, seat } = ctx;
  const agentSeat = other(seat);
  if (kind === 'draw' && !agentAcceptsDraw(g.row.type, g.row.state, agentSeat, g.row.move_count)) {
    await g.emit('offer', { offer: 'draw', action: 'declined', seat: agentSeat });
    return { game: await g.commit() };
  }
  return agree(ctx, kind, agentSeat);
}

async function rematchNow(ctx: ActionCtx, bySeat: 0 | 1): Promise<OfferOutcome> {
  // The person creates it (an agent's acceptance is made on the person's behalf).
  const creator = kindOf(ctx.g, bySeat) === 'agent' ? other(bySeat) : bySeat;
  const { row, snapshot } = await startRematch(ctx.g, creator);
  return { game: await ctx.g.commit(), rematch: snapshot, rematchRow: row };
}

