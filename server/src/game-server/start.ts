import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config/index.js';
import { createDb, migrate, type Db } from '../db/index.js';
import { isLockTimeout } from '../db/migrate.js';
import { createPgDb } from '../db/pg.js';
import { credentialsFor } from '../db/credentials.js';
import { createBus } from '../bus/index.js';
import type { Bus, EventBus } from '../bus/types.js';
import { TokenService } from '../auth/tokens.js';
import { GameService } from '../games/service.js';
import { listenShared, type Listening } from '../http/listen.js';
import { seedAgents } from '../players/service.js';
import { Metrics } from '../plugins/metrics.js';
import { buildApp } from '../http/app.js';
import { isDatabaseUnavailable } from '../db/pg-errors.js';
import { stopListening } from '../process/drain.js';
import type { AppContext } from '../http/context.js';
import { OutboxRelay } from '../outbox/relay.js';
import { DirectPublisher } from '../outbox/publisher.js';
import { AiPool } from '../ai/pool.js';
import { AiRunner } from '../ai/runner.js';
import { FlagScheduler } from '../games/clock/scheduler.js';
import { ReviewQueue } from '../reviews/queue.js';
import { DEFAULT_OUTBOX_VACUUM_MS, vacuumOutboxPeriodically, type OutboxVacuum } from '../db/pglite-vacuum.js';

/** A review still running after this is abandoned (its worker replaced, the review retried). */
const REVIEW_TIMEOUT_MS = 10 * 60_000;

export interface StartOptions {
  config?: Config;
  /** Share a bus with an in-process event-stream (local mode); created from config otherwise. */
  bus?: EventBus;
  /** Use this database instead of opening one from config (tests). Not closed on close(). */
  db?: Db;
  /** Listen (default true). */
  listen?: boolean;
  /** PGlite only (no autovacuum there): how often the outbox is vacuumed (db/pglite-vacuum.ts); 0 = never. */
  outboxVacuumMs?: number;
}

export interface GameServer {
  app: FastifyInstance;
  port: number;
  ctx: AppContext;
  relay: OutboxRelay;
  ai: AiRunner;
  pool: AiPool;
  flags: FlagScheduler;
  /** Post-game reviews (null with REVIEW_WORKERS=0: this replica computes none). */
  reviews: ReviewQueue | null;
  /** The embedded outbox's vacuum (does nothing on Postgres). */
  vacuum: OutboxVacuum;
  /** Stop accepting connections on every listening socket; those open are still answered (drain). */
  stopListening(settleMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts one game-server replica: database (+ migrations under an advisory lock, agent
 * seeding), bus, HTTP app, outbox relay, AI runner and flag scheduler. close() is the graceful
 * shutdown: stop taking requests and drain them, stop the loops (an agent mid-thought
 * hands its turn back, a flag being settled commits; other replicas' sweeps take the
 * deadlines from there), flush the outbox once more, close the bus and the database.
 */
export async function startGameServer(options: StartOptions = {}): Promise<GameServer> {
  const config = options.config ?? loadConfig();
  const ownDb = !options.db;
  const db = options.db ?? (await createDb(config));
  const ownBus = !options.bus;
  let bus: EventBus | undefined;
  let rlRedis: Redis | undefined;
  let pool: AiPool | undefined;
  let relayDb: Db | undefined;
  let moveDb: Db | undefined;
  // The bus is created before the app; its warnings go to the app's logger once there is one.
  let appLog: FastifyInstance['log'] | undefined;
  try {
    // Postgres may still be starting (compose, a fresh RDS): retry connection errors a
    // while; and a migration that gave up on a lock held by live traffic (lock_timeout,
    // db/migrate.ts) changed nothing: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await migrate(db, undefined, { lockTimeoutMs: config.migrationLockTimeoutMs });
        break;
      } catch (err) {
        if (!(isDatabaseUnavailable(err) || isLockTimeout(err)) || attempt >= 30) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await seedAgents(db);
    bus = options.bus ?? createBus({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, log: { warn: (o, m) => appLog?.warn(o, m) } });
    if (config.redisUrl) {
      rlRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      rlRedis.on('error', () => {}); // rate limits skip on error; readiness reports the bus
      // Without an offline queue, commands before the connection is up would fail (and
      // the limit be skipped): give it a moment, but never block start on Redis.
      const r = rlRedis;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 3000);
        r.once('ready', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const metrics = new Metrics();
    const tokens = new TokenService(config.sessionSecret, config.tokenTtlDays, { previousSecret: config.previousSessionSecret });
    // A stuck search is abandoned (the turn is retried); normal searches take well under a second.
    pool = new AiPool(config.ai.workers, Math.max(10_000, Math.floor(config.ai.leaseMs / 2)));

    // Wiring: committed events are published by the committing process (the relay
    // sweeps leftovers); the service tells the AI runner about commits.
    let relay!: OutboxRelay;
    let ai!: AiRunner;
    let flags!: FlagScheduler;
    const phases = config.movePhaseTiming ? metrics.phaseClock() : undefined;
    const publisher = new DirectPublisher({
      bus, db, log: { warn: (o, m) => appLog?.warn(o, m) }, ...(phases ? { phases } : {}),
      handOver: (topics) => relay.anchor(topics),
    });
    // Move batches get connections of their own: queued behind a burst of creations or
    // lobby reads on the shared pool, every move waited behind them (docs/performance.md).
    // Pools of their own (moves, relay) log in like the main one (credentials.ts).
    const ownPool = (max: number) =>
      ownDb && config.databaseUrl
        ? createPgDb(config.databaseUrl, {
            max,
            credentials: credentialsFor(config.databaseUrl, config.databaseIam),
            settings: config.databasePool,
          })
        : undefined;
    moveDb = ownPool(config.moveBatchConcurrency + 1);
    const games = new GameService(db, {
      publisher,
      ...(moveDb ? { moveDb } : {}),
      batchConcurrency: config.moveBatchConcurrency,
      lobbyEveryMs: config.lobbyMoveEveryMs,
      afterCommit: ({ gameId, agentDue }) => {
        if (agentDue) ai.kick(gameId);
      },
      // Best effort: without them the list shown to watchers is only ordered by recency
      // (claims do not use it: they look the opponent up by id).
      onSeats: (gameId, seats) => {
        const b = bus as Partial<Pick<Bus, 'setSeats'>> | undefined;
        void b?.setSeats?.(gameId, seats).catch(() => {});
      },
      onMove: (type, by) => metrics.moves.labels(type, by).inc(),
      onBatch: (n) => metrics.moveBatch.observe(n),
      ...(phases ? { phases } : {}),
      clocks: config.clocks,
      onDeadline: (at) => flags.note(at),
      onDeadlineSettled: (result) => metrics.deadlines.labels(result.reason).inc(),
    });
    const ctx: AppContext = { config, db, bus, tokens, games, metrics, accepting: true };
    const app = await buildApp(ctx, rlRedis ? { rateLimitRedis: rlRedis } : {});
    appLog = app.log;
    // The relay gets Postgres connections of its own: queued behind a burst of requests
    // on the shared pool, it held every event back by seconds (docs/performance.md).
    relayDb = ownPool(2);
    relay = new OutboxRelay({
      db: relayDb ?? db, bus, metrics, pollMs: config.outboxPollMs, log: app.log,
      graceMs: config.outboxSweepGraceMs, pending: publisher.pending,
    });
    ai = new AiRunner({
      db, games, pool, metrics, log: app.log,
      thinkDelayScale: config.ai.thinkDelayScale, leaseMs: config.ai.leaseMs, sweepMs: config.ai.sweepMs,
    });

    // Reviews get worker threads of their own at the lowest priority: a move never queues
    // behind a review, and the OS runs moves and requests first (docs/ai.md, Reviews).
    const reviews = config.reviews.workers > 0
      ? new ReviewQueue({
          db, games, pool: new AiPool(config.reviews.workers, REVIEW_TIMEOUT_MS, 19), concurrency: config.reviews.workers,
          auto: config.reviews.auto, sweepMs: config.reviews.sweepMs, leaseMs: REVIEW_TIMEOUT_MS + 60_000, log: app.log,
        })
      : null;
    if (reviews) ctx.reviews = reviews;

    flags = new FlagScheduler({ db, settle: (id, now) => games.settleDeadline(id, now), sweepMs: config.clocks.sweepMs, log: app.log });

    await app.ready();
    let port = 0;
    let listening: Listening | null = null;
    if (options.listen !== false) {
      // A deeper accept queue than Node's 511 (LISTEN_BACKLOG; the kernel caps it at
      // net.core.somaxconn): thousands of players connecting at once wait in it.
      // Several SO_REUSEPORT sockets where Node has them (a start burst is accepted many
      // per loop iteration); refuses a port another process holds (http/listen.ts).
      listening = await listenShared(app.server, (o) => app.listen(o).then(() => {}), { port: config.port, host: config.host });
      port = listening.port;
    }
    relay.start();
    const vacuum = vacuumOutboxPeriodically(db, { everyMs: options.outboxVacuumMs ?? DEFAULT_OUTBOX_VACUUM_MS, log: app.log });
    ai.start();
    flags.start();
    reviews?.start();

    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        ctx.accepting = false;
        await listening?.stop(); // every socket of the port, not just Fastify's
        await app.close(); // stops accepting, waits for in-flight requests
        await ai.stop();
        await reviews?.stop();
        await flags.stop();
        await pool!.close();
        await games.close().catch(() => {}); // lobby rows still held by the move path
        await publisher.close().catch(() => {}); // what the drained requests committed
        await relay.stop();
        await relay.pass().catch(() => {}); // last sweep of what is left
        await relay.release();
        await vacuum.stop();
        await relayDb?.close().catch(() => {});
        await moveDb?.close().catch(() => {});
        if (ownBus) await bus!.close().catch(() => {});
        rlRedis?.disconnect();
        if (ownDb) await db.close();
      })());

    return { app, port, ctx, relay, ai, pool, flags, reviews, vacuum, stopListening: (ms) => stopListening(listening, ms), close };
  } catch (err) {
    await relayDb?.close().catch(() => {});
    await moveDb?.close().catch(() => {});
    await pool?.close().catch(() => {});
    rlRedis?.disconnect();
    if (ownBus) await bus?.close().catch(() => {});
    if (ownDb) await db.close().catch(() => {});
    throw err;
  }
}
