import path from 'node:path';
import { z } from 'zod';
import { FIRST_MOVE_TIMEOUT_SECONDS } from '@monkeytown/shared';
import { DEFAULT_POOL_SETTINGS as POOL, type PoolSettings } from '../db/pool-settings.js';
import { DEFAULT_MIGRATION_LOCK_TIMEOUT_MS } from '../db/migrate.js';

/** The development default; production refuses it (BRIEF §4 Identity). */
export const DEFAULT_SESSION_SECRET = 'monkeytown-dev-secret-change-me-please';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * trustProxy: "true"/"false" or a comma-separated list of the proxies' addresses/CIDRs.
 * A hop count is refused: Fastify 5 cannot tell who the peer is from a count and trusts
 * nobody for one, so `TRUST_PROXY=1` would silently key every player by the proxy's
 * address (one rate-limit bucket for the whole site).
 */
const trustProxy = z
  .string()
  .refine((v) => !/^\d+$/.test(v.trim()), {
    message: 'a hop count is not supported: name the proxies (addresses or CIDRs, comma-separated), or true',
  })
  .transform((v): boolean | string[] => {
    if (v === 'true') return true;
    if (v === 'false' || v === '') return false;
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./.data'),
  /**
   * How the game-server authenticates to Postgres: `password` (in DATABASE_URL) or `iam`
   * (RDS IAM tokens for the user in DATABASE_URL, refreshed per new connection; AWS).
   */
  DATABASE_AUTH: z.enum(['password', 'iam']).default('password'),
  /** Region for RDS IAM tokens (ECS sets it; AWS_DEFAULT_REGION is accepted too). */
  AWS_REGION: z.string().optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  /** Postgres connections per replica (mind the server's max_connections across replicas). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Pool hygiene (issue 25; db/pool-settings.ts says why each exists and how they bound a request). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(POOL.connectTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(POOL.statementTimeoutMs),
  /** Default: the statement timeout + 1 s (poolSettings below). */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(POOL.idleTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(POOL.idleInTransactionTimeoutMs),
  DATABASE_KEEPALIVE_MS: z.coerce.number().int().min(1000).max(600_000).default(POOL.keepAliveMs),
  /** Migrations at start give up (and retry) rather than queue DDL behind live traffic (db/migrate.ts). */
  MIGRATION_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(DEFAULT_MIGRATION_LOCK_TIMEOUT_MS),
  DATABASE_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(1).max(86_400).default(POOL.maxLifetimeSeconds),
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key and channel (bus, replay buffers, rate limits); same as event-stream's. */
  REDIS_KEY_PREFIX: z.string().max(64).default('mt:'),
  SESSION_SECRET: z.string().default(DEFAULT_SESSION_SECRET),
  /** The secret before a rotation: tokens it signed still verify until it is removed. */
  SESSION_SECRET_PREVIOUS: z.string().optional(),
  /** At most 90 (MAX_TOKEN_LIFETIME_DAYS): no token lives longer. */
  TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  TRUST_PROXY: trustProxy.default(false),
  CORS_ORIGIN: z.string().optional(),
  /** The site's public address (https://monkeytown.example): game records link back to it. */
  PUBLIC_URL: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** 'summary': failures and slow requests logged whole, the rest counted (http/log.ts); 'all': a line per request. */
  ACCESS_LOG: z.enum(['summary', 'all']).default('summary'),
  ACCESS_LOG_SLOW_MS: z.coerce.number().min(0).default(500),
  BODY_LIMIT: z.coerce.number().int().min(1024).max(1024 * 1024).default(16 * 1024),
  RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PLAYER_PER_MIN: z.coerce.number().int().min(1).default(240),
  RATE_LIMIT_CREATE_PLAYER_PER_MIN: z.coerce.number().int().min(1).default(30),
  /** Chat manners (issue 26): a player's chat lines in any 10 s, in any minute; chat reports in any hour. */
  CHAT_RATE_LIMIT_PER_10S: z.coerce.number().int().min(1).default(5),
  CHAT_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(20),
  CHAT_REPORTS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Issue 26: the players who may read and close chat reports, by id, comma-separated. */
  MODERATORS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.uuid({ error: 'MODERATORS lists player ids (UUIDs), comma-separated' })))
    .default([]),
  /** Multiplier on each agent's natural think delay: 0 = instant (tests), 1 = natural. */
  AI_THINK_DELAY: z.coerce.number().min(0).max(10).default(1),
  AI_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** How long a replica owns an AI turn before the sweeper hands it to another. */
  AI_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  AI_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
  /** Issue 27: worker threads for post-game reviews, apart from the move workers (moves never wait behind a review). */
  REVIEW_WORKERS: z.coerce.number().int().min(0).max(8).default(1),
  /** Queue a review for every game that ends (false: only when someone asks for it). */
  REVIEW_AUTO: bool.default(false),
  REVIEW_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
  /** Issue 12: a player with no event stream open on a game this long lets the opponent claim it. */
  DISCONNECT_CLAIM_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(200),
  /** The relay sweeps only outbox rows older than this (the committing process publishes its own at once). */
  OUTBOX_SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(3000),
  /** Move batches (group commits) written at once per replica. */
  MOVE_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** The lobby hears of a game's plain moves at most this often (its status changes at once); 0 = every move. */
  LOBBY_MOVE_UPDATE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Clocks: of each move's time, up to this much is forgiven (network lag); a flag falls at most this late. */
  CLOCK_LAG_MS: z.coerce.number().int().min(0).max(2000).default(300),
  /** Timed games: a side that has not made its first move this long after getting the turn aborts the game (unrated). */
  FIRST_MOVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(FIRST_MOVE_TIMEOUT_SECONDS),
  /** Every replica looks for passed deadlines (flags, expiries) this often (timers handle the ones it knows of). */
  FLAG_SWEEP_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** An active untimed game with no move this long is over (`abandoned`). */
  GAME_IDLE_EXPIRY_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(1800),
  /** An open seat nobody took this long is withdrawn (`abandoned`). */
  OPEN_SEAT_EXPIRY_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(1800),
  METRICS: bool.default(true),
  /** Debug: where a batched command's time goes, on /metrics (games/pipeline/phases.ts; docs/performance.md). */
  MOVE_PHASE_TIMING: bool.default(false),
  /**
   * Check every response against its zod schema (and the fast serializer against zod)
   * before sending it; default: on under NODE_ENV=test (every test suite), off otherwise
   * (production and `npm start` pay for the serializer alone; docs/api.md).
   */
  RESPONSE_CHECK: bool.optional(),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** IAM auth on AWS (with the token signer's region); undefined: the password in databaseUrl. */
  databaseIam: { region: string } | undefined;
  dataDir: string;
  databasePoolMax: number;
  /** Timeouts, keepalive and lifetime of every Postgres pool of the replica (db/pool-settings.ts). */
  databasePool: PoolSettings;
  /** lock_timeout of the migrations run at start (0 = none). */
  migrationLockTimeoutMs: number;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  sessionSecret: string;
  previousSessionSecret: string | undefined;
  tokenTtlDays: number;
  trustProxy: boolean | string[];
  corsOrigin: string[] | undefined;
  /** The site's public address without a trailing slash; undefined: the request's own (records/site-url.ts). */
  publicUrl: string | undefined;
  logLevel: string;
  /** The access log (http/log.ts): every request's line, or failures and slow ones with the rest counted. */
  accessLog: { mode: 'summary' | 'all'; slowMs: number };
  bodyLimit: number;
  rateLimit: { ipPerMin: number; playerPerMin: number; createPlayerPerMin: number };
  /** Chat manners (chat/limits.ts): lines per player per 10 s and per minute, reports per hour. */
  chatLimits: { burstPer10s: number; perMin: number; reportsPerHour: number };
  /** Player ids of the moderators (moderation/guard.ts); empty: nobody sees the reports. */
  moderators: ReadonlySet<string>;
  ai: { thinkDelayScale: number; workers: number; leaseMs: number; sweepMs: number };
  /** Post-game reviews (server/src/reviews): workers (0 = none computed here), auto-queue, sweep. */
  reviews: { workers: number; auto: boolean; sweepMs: number };
  /** Seconds a player may be gone from a game before the opponent may claim it. */
  claimAfterSeconds: number;
  outboxPollMs: number;
  outboxSweepGraceMs: number;
  moveBatchConcurrency: number;
  lobbyMoveEveryMs: number;
  shutdownGraceMs: number;
  metrics: boolean;
  /** MOVE_PHASE_TIMING: the pipeline's phase histogram (debug). */
  movePhaseTiming: boolean;
  /** Responses checked against their zod schemas before they are sent (http/serializer.ts). */
  responseCheck: boolean;
  /** games/clock: lag allowance, expiries, and the flag scheduler's sweep interval. */
  clocks: { lagMs: number; firstMoveMs: number; idleExpiryMs: number; openExpiryMs: number; sweepMs: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parse environment variables with a zod schema; throws ConfigError listing every
 * problem. Empty strings mean "unset" (docker-compose passes `FOO=` for blanks).
 * Shared by the game-server and the event-stream.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** Production refuses a missing, default or short SESSION_SECRET (BRIEF §4). */
export function assertProductionSecret(secret: string | undefined, previous?: string): void {
  if (!secret || secret === DEFAULT_SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET must be set in production (refusing the default)');
  }
  if (secret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters in production');
  }
  // A weak previous secret would be a back door for the rotation window.
  if (previous !== undefined && previous !== '' && (previous === DEFAULT_SESSION_SECRET || previous.length < 32)) {
    throw new ConfigError('SESSION_SECRET_PREVIOUS must be at least 32 characters and not the default in production');
  }
}

/** IAM tokens need a URL naming the user, a region, and a verified TLS connection (RDS requires TLS for IAM). */
function databaseIam(e: z.infer<typeof EnvSchema>): Config['databaseIam'] {
  if (e.DATABASE_AUTH !== 'iam') return undefined;
  const region = e.AWS_REGION ?? e.AWS_DEFAULT_REGION;
  if (!e.DATABASE_URL || !region) throw new ConfigError('DATABASE_AUTH=iam needs DATABASE_URL and AWS_REGION');
  const url = new URL(e.DATABASE_URL);
  if (url.password) throw new ConfigError('DATABASE_AUTH=iam: DATABASE_URL must not carry a password');
  if (url.searchParams.get('sslmode') !== 'verify-full') {
    throw new ConfigError('DATABASE_AUTH=iam: DATABASE_URL needs sslmode=verify-full (and sslrootcert) so the server certificate is checked');
  }
  return { region };
}

/**
 * The client-side query timeout defaults to the statement timeout plus a second: a
 * database that answers cancels a slow statement itself (the connection survives); the
 * client's own timer is for a database that does not answer at all. Set lower than the
 * statement timeout it would cut connections Postgres was about to free.
 */
function poolSettings(e: z.infer<typeof EnvSchema>): PoolSettings {
  const queryTimeoutMs = e.DATABASE_QUERY_TIMEOUT_MS ?? e.DATABASE_STATEMENT_TIMEOUT_MS + 1000;
  if (queryTimeoutMs < e.DATABASE_STATEMENT_TIMEOUT_MS) {
    throw new ConfigError('DATABASE_QUERY_TIMEOUT_MS must not be below DATABASE_STATEMENT_TIMEOUT_MS');
  }
  return {
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs,
    idleTimeoutMs: e.DATABASE_IDLE_TIMEOUT_MS,
    idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAliveMs: e.DATABASE_KEEPALIVE_MS,
    maxLifetimeSeconds: e.DATABASE_MAX_LIFETIME_SECONDS,
  };
}

/** Parse configuration from environment variables; throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = parseEnv(EnvSchema, env);
  if (e.NODE_ENV === 'production') {
    assertProductionSecret(env.SESSION_SECRET, env.SESSION_SECRET_PREVIOUS);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseIam: databaseIam(e),
    dataDir: path.resolve(e.DATA_DIR),
    databasePoolMax: e.DATABASE_POOL_MAX,
    databasePool: poolSettings(e),
    migrationLockTimeoutMs: e.MIGRATION_LOCK_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    sessionSecret: e.SESSION_SECRET,
    previousSessionSecret: e.SESSION_SECRET_PREVIOUS,
    tokenTtlDays: e.TOKEN_TTL_DAYS,
    trustProxy: e.TRUST_PROXY,
    corsOrigin: e.CORS_ORIGIN ? e.CORS_ORIGIN.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    accessLog: { mode: e.ACCESS_LOG, slowMs: e.ACCESS_LOG_SLOW_MS },
    bodyLimit: e.BODY_LIMIT,
    rateLimit: {
      ipPerMin: e.RATE_LIMIT_IP_PER_MIN,
      playerPerMin: e.RATE_LIMIT_PLAYER_PER_MIN,
      createPlayerPerMin: e.RATE_LIMIT_CREATE_PLAYER_PER_MIN,
    },
    chatLimits: { burstPer10s: e.CHAT_RATE_LIMIT_PER_10S, perMin: e.CHAT_RATE_LIMIT_PER_MIN, reportsPerHour: e.CHAT_REPORTS_PER_HOUR },
    moderators: new Set(e.MODERATORS),
    ai: { thinkDelayScale: e.AI_THINK_DELAY, workers: e.AI_WORKERS, leaseMs: e.AI_LEASE_MS, sweepMs: e.AI_SWEEP_MS },
    reviews: { workers: e.REVIEW_WORKERS, auto: e.REVIEW_AUTO, sweepMs: e.REVIEW_SWEEP_MS },
    claimAfterSeconds: e.DISCONNECT_CLAIM_SECONDS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    outboxSweepGraceMs: e.OUTBOX_SWEEP_GRACE_MS,
    moveBatchConcurrency: e.MOVE_BATCH_CONCURRENCY,
    lobbyMoveEveryMs: e.LOBBY_MOVE_UPDATE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    metrics: e.METRICS,
    movePhaseTiming: e.MOVE_PHASE_TIMING,
    responseCheck: e.RESPONSE_CHECK ?? e.NODE_ENV === 'test',
    clocks: {
      lagMs: e.CLOCK_LAG_MS,
      firstMoveMs: e.FIRST_MOVE_TIMEOUT_SECONDS * 1000,
      idleExpiryMs: e.GAME_IDLE_EXPIRY_SECONDS * 1000,
      openExpiryMs: e.OPEN_SEAT_EXPIRY_SECONDS * 1000,
      sweepMs: e.FLAG_SWEEP_MS,
    },
  };
}
