// How each seat is named, from the game's own metadata (player strips, move lists).
import { ENGINES, engineFor } from '@monkeytown/shared/games';

export const SEAT_MARK = {
  tictactoe: ENGINES.tictactoe.meta.seats,
  connect4: ENGINES.connect4.meta.seats,
};

export function seatMarkName(type: string, seat: number): string {
  return engineFor(type)?.meta.seats[seat] ?? '?';
}
