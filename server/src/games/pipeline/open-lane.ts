import { ApiError, notFound } from '@monkeytown/shared';
import { signedOut } from '../../auth/signed-out.js';
import type { CommittedEvent } from '../../outbox/publisher.js';
import { writeCreations, type CreateRequest } from '../open/create.js';
import { writeJoins } from '../open/join.js';
import type { Written } from '../open/types.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, type GameRow } from '../snapshot.js';
import { admitJoin, signedOutOnes } from './checks.js';
import type { Pending, PipelineParts } from './types.js';

export interface OpenLaneDeps extends PipelineParts {
  /** Creations and joins write on the shared pool (the batches' own connections are the moves'). */
  openDb: PipelineParts['db'];
  retry(p: Pending, opts: { fresh?: boolean; solo?: boolean }): void;
}

/**
 * Runs one lane's statement for its part of a batch. A statement that fails as a whole
 * (a deadlock between two replicas' batches, one request's bad data) is written again one
 * request at a time, so one request never fails another.
 */
async function lane(d: OpenLaneDeps, ps: Pending[], write: () => Promise<(Written | ApiError | null)[]>): Promise<void> {
  let out: (Written | ApiError | null)[];
  try {
    out = await write();
  } catch (err) {
    if (ps.length === 1) ps[0]!.reject(err);
    else for (const p of ps) d.retry(p, { solo: true });
    return;
  }
  const events: CommittedEvent[] = out.flatMap((w) => (w && !(w instanceof ApiError) ? w.events : []));
  d.publisher.publish(events.sort((a, b) => a.outboxId - b.outboxId));
  ps.forEach((p, i) => {
    const w = out[i];
    if (w instanceof ApiError) return p.reject(w);
    if (!w) {
      // Planned from a row the game has left (another join won, another replica wrote): again, from a fresh read.
      d.cache.drop(p.env.gameId);
      return d.retry(p, { fresh: true });
    }
    d.seated(w.row);
    p.resolve({ response: w, replayed: false });
  });
}

/** The creations of a batch: ONE statement, no read before it (games/open/create.ts). */
export function createLane(d: OpenLaneDeps, ps: Pending[], now: Date): Promise<void> {
  const reqs = ps.map((p) => (p.open as { req: CreateRequest }).req);
  return lane(d, ps, () => writeCreations(d.openDb, reqs, now, d.clocks));
}

/**
 * The joins of a batch (one per game): the rows from the cache (misses and re-plans in one
 * read), the join's checks (pipeline/checks.ts admitJoin; a refusal from a cached row
 * confirmed on a fresh one, a signed-out token answered 401 first), then ONE statement
 * that takes each seat only where the game is still at the seq it was planned from
 * (games/open/join.ts).
 */
export async function joinLane(d: OpenLaneDeps, ps: Pending[], now: Date): Promise<void> {
  const fresh = new Map<string, GameRow>();
  const load = async (ids: string[]) => {
    if (!ids.length) return;
    const { rows } = await d.openDb.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = ANY($1::uuid[])`, [ids]);
    for (const r of rows) {
      fresh.set(r.id, r);
      d.cache.put(r);
    }
  };
  await load(ps.filter((p) => p.fresh || !d.cache.get(p.env.gameId)).map((p) => p.env.gameId));
  const rowOf = (p: Pending) => fresh.get(p.env.gameId) ?? (p.fresh ? undefined : d.cache.get(p.env.gameId));
  const refusal = (p: Pending) => {
    const row = rowOf(p);
    return row ? admitJoin(row, p.env.playerId!) : notFound('game');
  };
  const recheck = ps.filter((p) => refusal(p) && !fresh.has(p.env.gameId));
  await load(recheck.map((p) => p.env.gameId));
  const refused = ps.filter((p) => refusal(p));
  // Refused before any statement: a signed-out token still hears 401 first.
  const outOfDate = await signedOutOnes(d.openDb, refused);
  for (const p of refused) p.reject(outOfDate.has(p) ? signedOut() : refusal(p));
  const live = ps.filter((p) => !refused.includes(p));
  if (!live.length) return;
  const reqs = live.map((p) => ({ row: rowOf(p)!, playerId: p.env.playerId!, tokenVersion: p.env.tokenVersion }));
  return lane(d, live, () => writeJoins(d.openDb, reqs, now, d.clocks));
}
