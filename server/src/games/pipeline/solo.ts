import { ApiError, notFound } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { assertTokenCurrent } from '../../auth/signed-out.js';
import type { CommittedEvent } from '../../outbox/publisher.js';
import type { Command, CommandDef, CommandPlan, Envelope } from '../commands/types.js';
import { keyReused, storedResponses } from '../idempotency.js';
import { rateBatch } from './rate.js';
import { writeCreations } from '../open/create.js';
import type { Written } from '../open/types.js';
import { loadGameRow, SNAPSHOT_COLUMNS, SNAPSHOT_FROM, type GameRow } from '../snapshot.js';
import { writeItem } from './batch-write.js';
import { admit, storedRequest } from './checks.js';
import type { Outcome, PipelineParts } from './types.js';
import { writeCommands } from './write.js';

/**
 * The row a command runs on, locked FOR UPDATE: concurrent commands on one game (from any
 * replica) run one after another and see each other's writes. A deadline takes it SKIP
 * LOCKED and only while the deadline has passed and the game is not finished: a replica
 * settling it already (or a move being written) is skipped, never waited for.
 */
async function lockRow(q: Queryable, gameId: string, c: Command): Promise<GameRow | null> {
  if (c.kind !== 'deadline') return loadGameRow(q, gameId, true);
  const { rows } = await q.query<GameRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM}
     WHERE g.id = $1 AND g.flag_at <= $2 AND g.status <> 'finished' FOR UPDATE OF g SKIP LOCKED`, [gameId, c.at]);
  return rows[0] ?? null;
}

/**
 * A rare command (resign, chat, offers, claim, abort, a deadline) in a transaction of its
 * own: the same checks, plan and write statement as a batch, plus what a batch does not
 * carry — the inputs its plan needs (a chat's speaker, a takeback's moves, a claim's
 * presence), ratings, and a rematch's new game (its creation statement, in the same
 * transaction). After COMMIT its events are published and `landed` runs, as for a batch.
 */
export async function runSolo(parts: PipelineParts, env: Envelope, cmd: Command, def: CommandDef<Command, unknown, unknown>): Promise<Outcome> {
  const now = new Date();
  const stored = storedRequest(env, cmd, def);
  const marks = parts.publisher.takeMarks();
  let marked = false;
  const box: { done?: { plan: CommandPlan; created: Written | null; events: CommittedEvent[] } } = {};
  let out: Outcome;
  try {
    out = await parts.db.transaction(async (tx): Promise<Outcome> => {
      if (stored) {
        const hit = (await storedResponses(tx, [stored])).get(stored);
        if (hit instanceof ApiError) throw hit;
        if (hit !== undefined) return { response: hit, replayed: true };
      }
      if (env.tokenVersion !== undefined && env.playerId !== null) await assertTokenCurrent(tx, env.playerId, env.tokenVersion);
      const row = await lockRow(tx, env.gameId, cmd);
      if (!row) throw notFound('game');
      const seat = admit(row, env, cmd, def);
      const ctx = { seat, playerId: env.playerId, now };
      const inputs = def.inputs ? await def.inputs(tx, row, cmd, ctx) : undefined;
      const plan = def.plan(row, cmd, { ...ctx, clocks: parts.clocks, inputs });
      const ratings = plan.needsRating ? await rateBatch(tx, [plan]) : undefined;
      let created: Written | null = null;
      if (plan.rematch) {
        const [w] = await writeCreations(tx, [plan.rematch], now, parts.clocks);
        if (w instanceof ApiError) throw w;
        created = w!;
      }
      // The token version was checked above, in this transaction: the statement need not again
      // (a sign-out committing in between would otherwise leave the locked row unapplied).
      const item = writeItem(parts, { env: { ...env, tokenVersion: undefined }, stored, def }, plan, created?.game ?? null);
      marked = true;
      const result = await writeCommands(tx, [item], now, marks.ids, ratings);
      // The row is locked: its seq check cannot fail (a failure here is a bug, not a race).
      if (!result.applied.has(row.id)) throw new Error(`command on ${row.id} not applied under its row lock`);
      box.done = { plan, created, events: [...(created?.events ?? []), ...result.events] };
      return { response: item.response, replayed: false };
    });
  } catch (err) {
    marks.settle(false);
    // The key is already stored for another request (a twin committed meanwhile): refused.
    if (stored && (err as { code?: string }).code === '23505') throw keyReused();
    throw err;
  }
  marks.settle(marked);
  if (box.done) {
    const { plan, created, events } = box.done;
    parts.publisher.publish(events.sort((a, b) => a.outboxId - b.outboxId));
    parts.landed(plan);
    if (created) parts.seated(created.row);
  }
  return out;
}
