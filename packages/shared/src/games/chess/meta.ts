import type { GameMeta } from '../types.js';

/** What people see about this game (lobby, titles, seat names), apart from its rules. */
export const CHESS_META = { title: 'Chess', blurb: 'The classic: checkmate the king. Castling, en passant, promotion, every draw rule.', seats: ['White', 'Black'] } as const satisfies GameMeta;
