// How each seat is drawn, per game (also used in player strips and move lists).
export const SEAT_MARK = {
  tictactoe: ['X', 'O'] as const,
  connect4: ['Banana', 'Coconut'] as const,
};

export function seatMarkName(type: string, seat: number): string {
  if (type === 'connect4') return SEAT_MARK.connect4[seat] ?? '?';
  if (type === 'tictactoe') return SEAT_MARK.tictactoe[seat] ?? '?';
  return seat === 0 ? 'White' : 'Black';
}
