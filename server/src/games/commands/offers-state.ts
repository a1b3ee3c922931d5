import { offerLapsesAt, type Offers } from '@monkeytown/shared';

/**
 * What `games.offers` holds (migration 006). A draw or takeback offer is stored with the
 * state seq it was made at and `until`: the move count at which it lapses. It is open
 * while the game is active and `move_count < until`, so a move makes it lapse without
 * the move path writing anything (the move path is the hot path; it stays untouched).
 */
export interface StoredOffer {
  seat: 0 | 1;
  /** The game's state seq when the offer was made. */
  seq: number;
  /** The offer lapses once the game's move count reaches this. */
  until: number;
}

export interface StoredOffers {
  draw?: StoredOffer;
  takeback?: StoredOffer;
  /** Rematch offers are made on finished games: nothing can make them lapse but an answer. */
  rematch?: { seat: 0 | 1 };
}

export interface OfferRow {
  status: 'open' | 'active' | 'finished';
  move_count: number;
  offers: StoredOffers | null;
  rematch_id: string | null;
}

/** The move count at which an offer made now lapses (the rule, shared with the web's fold: offerLapsesAt). */
export const lapseAt = (kind: 'draw' | 'takeback', row: { move_count: number; turn: 0 | 1 | null }, seat: 0 | 1): number =>
  offerLapsesAt(kind, row.move_count, row.turn, seat);

const live = (row: OfferRow, o: StoredOffer | undefined): 0 | 1 | null =>
  o && row.status === 'active' && row.move_count < o.until ? o.seat : null;

/** The offers that are open now, as clients see them. */
export function openOffers(row: OfferRow): Offers {
  const o = row.offers ?? {};
  return {
    draw: live(row, o.draw),
    takeback: live(row, o.takeback),
    rematch: row.status === 'finished' && !row.rematch_id && o.rematch ? o.rematch.seat : null,
  };
}
