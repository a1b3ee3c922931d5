import type { GameSnapshot } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { rateBatch } from './rate.js';
import { toSnapshot, toSummary } from '../snapshot.js';
import type { Planned } from './batch-plan.js';
import type { PhaseClock } from './phases.js';
import { stamp } from './phases.js';
import type { PipelineParts, Pending } from './types.js';
import { writeCommands, type WriteItem } from './write.js';

/** A rated game moved on before its batch was written: its ratings were computed on old rows. */
class StaleRated extends Error {}

/** `db`: the batches' connections (the moves' own pool, or the shared one). */
export interface BatchWriteDeps extends PipelineParts {
  onBatch?: (n: number) => void;
  retry(p: Pending, opts: { fresh?: boolean; solo?: boolean }): void;
  /** MOVE_PHASE_TIMING (pipeline/phases.ts). */
  phases?: PhaseClock;
}

/** One planned command as the write takes it: its response, its lobby row (throttled for plain moves), its key. */
export function writeItem(parts: Pick<PipelineParts, 'lobby'>, p: Pick<Pending, 'env' | 'stored' | 'def'>, plan: Planned['plan'], rematch: GameSnapshot | null = null): WriteItem & { response: unknown } {
  const game = toSnapshot(plan.after);
  const response = plan.respond(game, rematch);
  let lobby: unknown = null;
  if (plan.state) {
    // A change of status (the game ends) or anything but a move reaches the lobby at once; a plain move may wait.
    const urgent = plan.after.status !== plan.before.status || !plan.move;
    const data = { game: toSummary(game) };
    if (parts.lobby.admit(plan.after.id, data, urgent)) lobby = data;
  }
  return {
    plan, response, lobby, playerId: p.env.playerId, tokenVersion: p.env.tokenVersion ?? null,
    ...(p.stored ? { idempotency: { route: p.def.idempotent!.route, key: p.stored.key, fingerprint: p.stored.fingerprint, response } } : {}),
  };
}

/** Each written command's lane wait, planning and statement (pipeline/phases.ts). */
function observePhases(phases: PhaseClock, planned: readonly Planned[], sentAt: number): void {
  const back = stamp();
  for (const { p } of planned) {
    if (p.queuedAt === undefined || p.takenAt === undefined) continue;
    phases.observe('lane', p.takenAt - p.queuedAt);
    phases.observe('plan', sentAt - p.takenAt);
    phases.observe('statement', back - sentAt);
  }
}

/**
 * Writes a planned batch in one statement (pipeline/write.ts); when it ends rated games,
 * in one transaction with their ratings (BEGIN, the ratings' lock and read in pipeline/rate.ts, the statement, COMMIT). Commands whose
 * seq check failed are re-planned from a fresh read; the others are answered, their
 * events published, and `landed` tells the rest of the server.
 */
export async function writeBatch(d: BatchWriteDeps, planned: Planned[], now: Date): Promise<void> {
  if (!planned.length) return;
  const rated = planned.filter(({ plan }) => plan.needsRating).map(({ plan }) => plan);
  d.onBatch?.(planned.length);
  const marks = d.publisher.takeMarks();
  const held = d.lobby.due();
  const run = async (q: Queryable) => {
    const ratings = rated.length ? await rateBatch(q, rated) : undefined;
    // Built after the ratings: the responses and lobby rows show them.
    const items = planned.map(({ p, plan }) => writeItem(d, p, plan));
    const result = await writeCommands(q, items, now, marks.ids, ratings, held);
    if (rated.some((plan) => !result.applied.has(plan.after.id))) throw new StaleRated();
    return { items, result };
  };
  let items, result;
  const sentAt = d.phases ? stamp() : 0;
  try {
    ({ items, result } = rated.length ? await d.db.transaction(run) : await run(d.db));
    if (d.phases) observePhases(d.phases, planned, sentAt);
    marks.settle(true);
    for (const h of held) d.lobby.written(h.gameId);
  } catch (err) {
    marks.settle(false);
    d.lobby.giveBack(held);
    // A key taken meanwhile (unique violation) fails the whole statement: write each alone.
    if ((err as { code?: string }).code === '23505') {
      for (const { p } of planned) d.retry(p, { solo: true });
      return;
    }
    // A rated game moved on: its ratings were computed on old rows; all again, from fresh reads.
    if (err instanceof StaleRated) {
      for (const { p, plan } of planned) {
        d.cache.drop(plan.after.id);
        d.retry(p, { fresh: true });
      }
      return;
    }
    throw err;
  }
  d.publisher.publish(result.events);
  planned.forEach(({ p, plan }, i) => {
    const id = plan.after.id;
    if (!result.applied.has(id)) {
      // The game moved on since the row was read: re-plan from a fresh read.
      d.cache.drop(id);
      d.retry(p, { fresh: true });
      return;
    }
    // The interval of plain moves' lobby rows restarts with a move's row (a creation's, a join's or a rare command's does not restart it).
    if (items[i]!.lobby !== null && plan.move) d.lobby.written(id);
    d.landed(plan);
    p.resolve({ response: items[i]!.response, replayed: false });
  });
}
