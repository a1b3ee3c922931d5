import type pg from 'pg';

/**
 * Pool hygiene (issue 25): without these a database that stops answering (a failover,
 * a network partition, a security-group change) left every request pending for ever and
 * every pooled connection stuck on a dead socket, so the replica never recovered.
 *
 * How they bound one statement of a request (docs/api.md, "Database timeouts"):
 *   getting a connection  ≤ connectTimeoutMs   (a new TCP+TLS+auth handshake, or the wait
 *                                               for a free pooled one: pg-pool uses the
 *                                               same timer for both)
 *   running it            ≤ queryTimeoutMs     (the client's own timer: the database may
 *                                               not answer at all)
 * so a request fails with 503 `unavailable` at most connect + query timeout after its
 * first statement starts: the first failure ends it.
 */
export interface PoolSettings {
  /** New connection handshake, or the wait for a free pooled connection. */
  connectTimeoutMs: number;
  /** Server side (`statement_timeout`): Postgres cancels a slower statement, the connection survives. */
  statementTimeoutMs: number;
  /** Client side (pg `query_timeout`): no answer in time → the connection is destroyed. */
  queryTimeoutMs: number;
  /** An idle pooled connection is closed after this long. */
  idleTimeoutMs: number;
  /** Server side: a session idle inside a transaction (its client gone quiet) is ended, its locks freed. */
  idleInTransactionTimeoutMs: number;
  /** TCP keepalive's first probe after this much silence: a dead peer of an idle connection is noticed. */
  keepAliveMs: number;
  /**
   * A connection is retired (when next idle) after this long. 900 s = the lifetime of an
   * RDS IAM token: no connection outlives the token that opened it by more than that, and
   * after a failover the pool moves to the new primary within it (DNS is re-resolved per
   * connection).
   */
  maxLifetimeSeconds: number;
}

/** The defaults of the environment variables (config/index.ts) and of createPgDb without settings. */
export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  connectTimeoutMs: 3000,
  statementTimeoutMs: 5000,
  queryTimeoutMs: 6000,
  idleTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 10_000,
  keepAliveMs: 10_000,
  maxLifetimeSeconds: 900,
};

/** The pg.Pool options for these settings (connection and credentials are added by the caller). */
export function pgPoolOptions(s: PoolSettings): pg.PoolConfig {
  return {
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    query_timeout: s.queryTimeoutMs,
    idleTimeoutMillis: s.idleTimeoutMs,
    idle_in_transaction_session_timeout: s.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: s.keepAliveMs,
    maxLifetimeSeconds: s.maxLifetimeSeconds,
  };
}
