import { z } from 'zod';
import { ConfigError, DEFAULT_SESSION_SECRET, assertProductionSecret, parseEnv } from '../config/index.js';

/** Limits of one event-stream process; every one has an env var (docs/event-stream.md). */
export interface EventStreamLimits {
  /** Largest client frame in bytes; larger → close 1009. */
  maxPayloadBytes: number;
  /** Topics one socket may subscribe to; more → error. */
  maxSubscriptions: number;
  /** Client messages per second (token bucket, burst = 2×); more → error + close 4029. */
  messagesPerSecond: number;
  /** Unsent bytes queued for one socket; more → close 4008 (slow consumer). */
  maxBufferedBytes: number;
  /** Open sockets per process; more → HTTP 503 on upgrade. */
  maxConnections: number;
  /** A subscribed game topic the bus has never seen is waited for this long, then not_found. */
  unknownTopicGraceMs: number;
}

export interface EventStreamConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  sessionSecret: string;
  previousSessionSecret?: string;
  logLevel: string;
  /** WebSocket ping interval; a peer that misses one is dropped. Well inside ALB/nginx 60 s. */
  heartbeatMs: number;
  /** Sockets still open this long after the 1012 close are terminated. */
  shutdownGraceMs: number;
  /**
   * Presence heartbeat: a replica that misses 3 in a row is dead, and its players are
   * offline (docs/event-stream.md "Presence" gives the bounds).
   */
  presenceHeartbeatMs: number;
  limits: EventStreamLimits;
}

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  REDIS_URL: z.string().url().optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('mt:'),
  SESSION_SECRET: z.string().default(DEFAULT_SESSION_SECRET),
  /** The secret before a rotation (see the game-server's). */
  SESSION_SECRET_PREVIOUS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WS_HEARTBEAT_MS: int(20_000, 100),
  SHUTDOWN_GRACE_MS: int(5000),
  WS_PRESENCE_HEARTBEAT_MS: int(5000, 100),
  WS_MAX_PAYLOAD_BYTES: int(4096, 128),
  WS_MAX_SUBSCRIPTIONS: int(50, 1),
  WS_MESSAGES_PER_SECOND: int(20, 1),
  WS_MAX_BUFFERED_BYTES: int(1024 * 1024, 1024),
  WS_MAX_CONNECTIONS: int(50_000, 1),
  WS_UNKNOWN_TOPIC_GRACE_MS: int(2000),
});

export const DEFAULT_LIMITS: EventStreamLimits = {
  maxPayloadBytes: 4096,
  maxSubscriptions: 50,
  messagesPerSecond: 20,
  maxBufferedBytes: 1024 * 1024,
  maxConnections: 50_000,
  unknownTopicGraceMs: 2000,
};

/** Parse the event-stream's configuration from the environment (throws ConfigError). */
export function loadEventStreamConfig(env: Record<string, string | undefined> = process.env): EventStreamConfig {
  const e = parseEnv(EnvSchema, env);
  if (e.NODE_ENV === 'production') {
    assertProductionSecret(env.SESSION_SECRET, env.SESSION_SECRET_PREVIOUS);
    if (!e.REDIS_URL) throw new ConfigError('REDIS_URL must be set in production (the event-stream is Redis only)');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    sessionSecret: e.SESSION_SECRET,
    previousSessionSecret: e.SESSION_SECRET_PREVIOUS,
    logLevel: e.LOG_LEVEL,
    heartbeatMs: e.WS_HEARTBEAT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    presenceHeartbeatMs: e.WS_PRESENCE_HEARTBEAT_MS,
    limits: {
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      messagesPerSecond: e.WS_MESSAGES_PER_SECOND,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      maxConnections: e.WS_MAX_CONNECTIONS,
      unknownTopicGraceMs: e.WS_UNKNOWN_TOPIC_GRACE_MS,
    },
  };
}
