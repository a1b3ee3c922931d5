// The server half of bench/micro/http-edge.ts: the game-server's real Fastify app
// (buildApp: every plugin, hook, schema and the rate limits through Redis when
// EDGE_REDIS_URL is set) over stub services, so a request costs only the HTTP edge —
// parsing, routing, hooks, validation, auth's token check, serialisation, logging.
// EDGE_SERVER_SRC names the server/src to load (another copy = the code before a change).
import path from 'node:path';
import { Redis } from 'ioredis';
import type * as AppModule from '../../server/src/http/app.js';
import type * as ConfigModule from '../../server/src/config/index.js';
import type * as MetricsModule from '../../server/src/plugins/metrics.js';
import type * as TokensModule from '../../server/src/auth/tokens.js';
import type { AppContext } from '../../server/src/http/context.js';

const src = path.resolve(process.env.EDGE_SERVER_SRC!);
const { buildApp } = (await import(path.join(src, 'http/app.ts'))) as typeof AppModule;
const { loadConfig } = (await import(path.join(src, 'config/index.ts'))) as typeof ConfigModule;
const { Metrics } = (await import(path.join(src, 'plugins/metrics.ts'))) as typeof MetricsModule;
const { TokenService } = (await import(path.join(src, 'auth/tokens.ts'))) as typeof TokensModule;

const config = loadConfig();
const tokens = new TokenService(config.sessionSecret);
export const GAME_ID = '8f14e45f-ceea-467f-a8f5-0a1b2c3d4e5f';
const now = new Date().toISOString();
const seat = (s: 0 | 1, id: string, name: string) =>
  ({ seat: s, playerId: id, name, kind: 'human' as const, rating: 1500, provisional: true });
// A tic-tac-toe game three moves in, as the move route answers it.
const game = {
  id: GAME_ID, type: 'tictactoe', status: 'active', rated: true, seq: 5,
  players: [seat(0, '5b7c2a55-0000-4000-8000-000000000001', 'alice'), seat(1, '5b7c2a55-0000-4000-8000-000000000002', 'bob')],
  turn: 1, state: { board: ['x', null, null, null, 'o', null, null, null, 'x'], next: 1 },
  legalMoves: [1, 2, 3, 5, 6, 7].map((cell) => ({ cell })), moveCount: 3, result: null, spectators: 0,
  agentThinking: false, clock: null, clockState: null, offers: { draw: null, takeback: null, rematch: null },
  rematchId: null, ratingChanges: null, claimAfterSeconds: 30, createdAt: now, updatedAt: now,
};
const games = {
  move: async () => ({ response: { game, seq: 6 }, replayed: false }),
  get: async () => ({ ...game }),
};
// Only the guard's token-version read reaches the database.
const db = { query: async () => ({ rows: [{ token_version: 0 }], rowCount: 1 }) };
const bus = {};
const ctx = { config, db, bus, tokens, games, metrics: new Metrics(), accepting: true } as unknown as AppContext;
const redisUrl = process.env.EDGE_REDIS_URL;
const rateLimitRedis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
rateLimitRedis?.on('error', () => {});
const app = await buildApp(ctx, rateLimitRedis ? { rateLimitRedis } : {});
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
const token = await tokens.sign('5b7c2a55-0000-4000-8000-000000000001');
process.send!({ port: typeof addr === 'object' && addr ? addr.port : 0, token });
process.on('message', (m: string) => {
  if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (m === 'exit') void app.close().then(() => { rateLimitRedis?.disconnect(); process.exit(0); });
});
