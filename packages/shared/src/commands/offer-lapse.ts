import type { Seat } from '../schemas/games.js';

/**
 * When a draw offer or a takeback request lapses, the one rule the server stores and the
 * web's fold applies (docs/api.md): a takeback request lapses with the next move of
 * anyone; a draw offer stands until the offerer's opponent has moved (lichess: offer,
 * then make your move), so the offerer's own move keeps it. Every move is a ply by the
 * side to move (Othello's pass included), so sides alternate.
 */
export function offerSurvivesMove(kind: 'draw' | 'takeback', offerer: Seat, mover: Seat): boolean {
  return kind === 'draw' && offerer === mover;
}

/**
 * The move count at which an offer made now lapses: the next move, or the one after when
 * that next move is the offerer's own and keeps it.
 */
export function offerLapsesAt(kind: 'draw' | 'takeback', moveCount: number, turn: Seat | null, offerer: Seat): number {
  return moveCount + (turn !== null && offerSurvivesMove(kind, offerer, turn) ? 2 : 1);
}
