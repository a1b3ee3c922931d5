// Game registry: adding a game is one module plus one line here.
export * from './types.js';
