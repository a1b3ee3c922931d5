import { createMemoryBus, type MemoryBusOptions } from './memory.js';
import { createRedisBus, type RedisBusOptions } from './redis.js';
import type { Bus } from './types.js';

export type { Bus, EventBus, PublishResult, InvalidEventListener, PresenceListener, ResubscribeListener } from './types.js';
export { isGameTopic, lobbyVersion, toGameTopic } from './types.js';
export { createMemoryBus } from './memory.js';
export { createRedisBus } from './redis.js';

export interface CreateBusOptions extends Omit<RedisBusOptions, 'url'>, MemoryBusOptions {
  /** Redis URL; without it the bus is in-process (embedded mode, one process only). */
  redisUrl?: string | undefined;
}

/** The bus for this process: Redis when a URL is given, in-process otherwise. */
export function createBus(opts: CreateBusOptions = {}): Bus {
  const { redisUrl, ...rest } = opts;
  return redisUrl ? createRedisBus({ ...rest, url: redisUrl }) : createMemoryBus(rest);
}
