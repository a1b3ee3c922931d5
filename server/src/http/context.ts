import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { EventBus } from '../bus/types.js';
import type { TokenService } from '../auth/tokens.js';
import type { GameService } from '../games/service.js';
import type { Metrics } from '../plugins/metrics.js';
import type { ReviewQueue } from '../reviews/queue.js';

/** What route plugins need, decorated on the root instance as `app.mt`. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: EventBus;
  tokens: TokenService;
  games: GameService;
  metrics: Metrics;
  /** Post-game reviews (set once the queue exists; absent: reviews are only read, never computed here). */
  reviews?: ReviewQueue;
  /** False once shutdown began: /health/ready answers 503 so load balancers drain us. */
  accepting: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    mt: AppContext;
  }
}
