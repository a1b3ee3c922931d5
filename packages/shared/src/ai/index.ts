// The Monkeytown troop: personalities over real search. Imported by the game-server's
// AI worker threads as '@monkeytown/shared/ai'.
export * from './profiles.js';
export * from './choose.js';
export * from './reason.js';
export { mulberry32, deriveSeed, hashString, type Rng } from './rng.js';
export { tttMoveScores, tttChoose, tttExplain } from './tictactoe.js';
export { Board as Connect4Board } from './connect4/board.js';
export { Searcher as Connect4Searcher, WIN as C4_WIN } from './connect4/search.js';
export { c4Choose, clearSearchCache } from './connect4/choose.js';
export * from './arena.js';
