export * from './errors.js';
export * from './api-error.js';
export * from './common.js';
export * from './games.js';
export * from './players.js';
export * from './events.js';
export * from './ws.js';
export * from './review.js';
