import { ApiError, notFound } from '@monkeytown/shared';
import type { Db } from '../../db/index.js';
import { signedOut } from '../../auth/signed-out.js';
import { TimeUpError } from '../commands/move.js';
import type { CommandPlan } from '../commands/types.js';
import type { ClockRules } from '../clock/clock.js';
import { storedResponses } from '../idempotency.js';
import type { GameCache } from './cache.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, type GameRow } from '../snapshot.js';
import { admit, signedOutOnes } from './checks.js';
import type { Pending } from './types.js';

export interface Planned {
  p: Pending;
  plan: CommandPlan;
}

export interface BatchPlanDeps {
  db: Db;
  cache: GameCache;
  clocks: ClockRules;
  /** A mover's time had run out: settle the game's deadline (flag it) before the refusal is answered. */
  timeUp?: (gameId: string, now: Date) => Promise<unknown>;
}

/**
 * A batch's reads and plans: stored responses of its Idempotency-Keys (one query),
 * signed-out tokens of what is answered without a write (one query), the game rows
 * (the cache; misses and re-plans in one read), then per command the pipeline's checks
 * and its pure plan. A refusal made from a cached row is confirmed on a fresh one
 * (another replica may have moved on). Answers what it refuses or replays; returns what
 * is to be written.
 */
export async function planBatch(d: BatchPlanDeps, batch: Pending[], now: Date): Promise<Planned[]> {
  const { db, cache } = d;
  let live = batch;
  const keyed = live.filter((p) => p.stored).map((p) => p.stored!);
  const replays = new Map<Pending, unknown>();
  if (keyed.length) {
    const found = await storedResponses(db, keyed);
    for (const p of live) {
      const hit = p.stored ? found.get(p.stored) : undefined;
      if (hit !== undefined) replays.set(p, hit);
    }
  }
  // What is answered without a write (a replay) or written again after a failed check (a
  // retry: the check that failed may have been the version's) is checked here.
  const outOfDate = await signedOutOnes(db, live.filter((p) => replays.has(p) || p.fresh));
  live = live.filter((p) => {
    if (outOfDate.has(p)) {
      p.reject(signedOut());
      return false;
    }
    if (!replays.has(p)) return true;
    const hit = replays.get(p);
    if (hit instanceof ApiError) p.reject(hit);
    else p.resolve({ response: hit, replayed: true });
    return false;
  });
  const fresh = new Map<string, GameRow>();
  const load = async (ids: string[]) => {
    if (!ids.length) return;
    const { rows } = await db.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = ANY($1::uuid[])`, [ids]);
    for (const r of rows) {
      fresh.set(r.id, r);
      cache.put(r);
    }
  };
  await load([...new Set(live.filter((p) => p.fresh || !cache.get(p.env.gameId)).map((p) => p.env.gameId))]);
  const out: Planned[] = [];
  const recheck: Pending[] = [];
  const refused: [Pending, unknown][] = [];
  const tryPlan = (p: Pending, final: boolean) => {
    const row = fresh.get(p.env.gameId) ?? (p.fresh ? undefined : cache.get(p.env.gameId));
    if (!row) return refused.push([p, notFound('game')]);
    try {
      const seat = admit(row, p.env, p.cmd, p.def);
      out.push({ p, plan: p.def.plan(row, p.cmd, { now, clocks: d.clocks, seat, playerId: p.env.playerId, inputs: undefined }) });
    } catch (err) {
      if (!final && !fresh.has(p.env.gameId)) recheck.push(p);
      else refused.push([p, err]);
    }
  };
  for (const p of live) tryPlan(p, false);
  if (recheck.length) {
    await load(recheck.map((p) => p.env.gameId));
    for (const p of recheck) tryPlan(p, true);
  }
  await answerRefused(d, refused, now);
  return out;
}

/**
 * The refused: a signed-out token hears 401 whatever else is wrong; a keyed request
 * refused because its own twin committed meanwhile (another replica, after our first
 * look) gets the twin's response; a mover out of time is answered after the flag.
 */
async function answerRefused(d: BatchPlanDeps, refused: [Pending, unknown][], now: Date): Promise<void> {
  if (!refused.length) return;
  const twins = refused.filter(([p]) => p.stored).map(([p]) => p.stored!);
  const late = twins.length ? await storedResponses(d.db, twins) : new Map<never, unknown>();
  const outOfDate = await signedOutOnes(d.db, refused.map(([p]) => p));
  for (const [p, err] of refused) {
    if (outOfDate.has(p)) {
      p.reject(signedOut());
      continue;
    }
    const hit = p.stored ? late.get(p.stored) : undefined;
    if (hit === undefined) refuse(d, p, err, now);
    else if (hit instanceof ApiError) p.reject(hit);
    else p.resolve({ response: hit, replayed: true });
  }
}

/** A refusal answered; a mover out of time only after the flag is settled (its deadline, by `timeUp`). */
export function refuse(d: Pick<BatchPlanDeps, 'timeUp'>, p: Pick<Pending, 'reject'>, err: unknown, now: Date): void {
  if (err instanceof TimeUpError && d.timeUp) void d.timeUp(err.gameId, now).catch(() => {}).finally(() => p.reject(err));
  else p.reject(err);
}
