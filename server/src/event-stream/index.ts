export { startEventStream, type EventStream, type StartEventStreamOptions } from './server.js';
export { loadEventStreamConfig, DEFAULT_LIMITS, type EventStreamConfig, type EventStreamLimits } from './config.js';
