export * from './schemas/index.js';
export * from './games/index.js';
export * from './commands/index.js';
export * from './api/index.js';
