// The Monkeytown troop: personalities over real search. Imported by the game-server's
// AI worker threads as '@monkeytown/shared/ai'. Each game's search lives in its own
// folder (games/<game>/ai); the registry maps game names to them.
export * from './profiles.js';
export * from './choose.js';
export * from './reason.js';
export * from './registry.js';
export type { AiChoice, GameAi, SearchParams } from './types.js';
export { mulberry32, deriveSeed, hashString, type Rng } from './rng.js';
export { tttMoveScores, tttChoose, tttExplain } from '../games/tictactoe/ai.js';
export { Connect4Board, Connect4Searcher, C4_WIN, c4Choose, clearSearchCache, type Connect4Params } from '../games/connect4/ai/index.js';
export { chessAi, chessAdjudicate, clearChessCache, boardOf as chessBoardOf, ChessSearcher, type ChessParams } from '../games/chess/ai/index.js';
export { moveUci as chessMoveUci } from '../games/chess/board.js';
export * from './arena.js';
export * from './chat.js';
export * from './review/index.js';
export { estimateElo, eloFromScore, type EloGame, type EloEstimate, type EloOptions } from './elo.js';
