import { SUPPORTED_GAME_TYPES } from '@monkeytown/shared/games';
import type { GameType } from '@monkeytown/shared/schemas';

export const GAME_TITLES: Record<string, string> = { tictactoe: 'Tic-tac-toe', connect4: 'Connect four', chess: 'Chess' };
export const GAME_BLURB: Record<string, string> = {
  tictactoe: 'Three in a row on a 3×3 board. Quick and sharp.',
  connect4: 'Drop discs, connect four on a 7×6 board.',
  chess: 'The classic, with clocks.',
};
/** Game types this site has a board for. */
const BOARDS: readonly GameType[] = ['tictactoe', 'connect4'];
/** Types whose shared engine exists and that have a board here, so they can be offered. */
export const PLAYABLE_TYPES = (SUPPORTED_GAME_TYPES as readonly GameType[]).filter((t) => BOARDS.includes(t));
