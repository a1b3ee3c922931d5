export * from './schemas/index.js';
export * from './games/index.js';
