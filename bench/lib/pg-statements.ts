// Per-statement work of the bench's database from pg_stat_statements, for
// bench/micro/move-counts.ts. The extension must be preloaded (shared_preload_libraries),
// which needs a server restart: point BENCH_DATABASE_URL at a private cluster that has it
// (docs/performance.md, *Postgres per move*), never restart a shared one. Without it
// `available` is false and the caller prints nothing from here.
import type pg from 'pg';

export interface StatementRow {
  query: string;
  calls: number;
  /** Inside the executor, ms (an autocommit statement's COMMIT — its WAL flush — is not in it). */
  execMs: number;
  planMs: number;
  rows: number;
  walRecords: number;
  walBytes: number;
  blksHit: number;
  blksDirtied: number;
  /** Functions JIT-compiled for it (jit is on by default; a plan costed above jit_above_cost pays milliseconds). */
  jitFunctions: number;
}

/** True when pg_stat_statements is loaded on this server; creates the extension in the current database. */
export async function statementsAvailable(c: pg.Client): Promise<boolean> {
  const { rows: [r] } = await c.query<{ on: boolean }>(
    "SELECT 'pg_stat_statements' = ANY(string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS on");
  if (!r?.on) return false;
  await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return true;
}

/** Forget every statement's counters (cluster-wide: only on a private cluster). */
export async function resetStatements(c: pg.Client): Promise<void> {
  await c.query('SELECT pg_stat_statements_reset()');
}

/** This database's statements since the last reset, most executor time first. */
export async function readStatements(c: pg.Client): Promise<StatementRow[]> {
  const { rows } = await c.query<Record<string, string>>(
    `SELECT query, calls, total_exec_time, total_plan_time, rows, wal_records, wal_bytes, shared_blks_hit, shared_blks_dirtied, jit_functions
     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND query NOT LIKE '%pg_stat%'
     ORDER BY total_exec_time DESC`);
  return rows.map((r) => ({
    query: r.query!.replace(/\s+/g, ' ').trim(),
    calls: Number(r.calls), execMs: Number(r.total_exec_time), planMs: Number(r.total_plan_time), rows: Number(r.rows),
    walRecords: Number(r.wal_records), walBytes: Number(r.wal_bytes), blksHit: Number(r.shared_blks_hit), blksDirtied: Number(r.shared_blks_dirtied),
    jitFunctions: Number(r.jit_functions),
  }));
}

/** A statement's text, short enough for a table row: the batch statement is named by its first CTEs. */
export function shortQuery(q: string, width = 64): string {
  return q.length <= width ? q : `${q.slice(0, width - 1)}…`;
}
