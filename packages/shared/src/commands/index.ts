export * from './lifecycle.js';
export * from './apply-event.js';
