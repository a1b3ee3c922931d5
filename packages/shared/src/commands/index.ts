export * from './lifecycle.js';
export * from './apply-event.js';
export * from './offer-lapse.js';
