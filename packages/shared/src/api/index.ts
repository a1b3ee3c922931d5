export * from './route.js';
export * from './routes.js';
export * from './game-routes.js';
export * from './player-routes.js';
export * from './client.js';
export * from './moderation-routes.js';
