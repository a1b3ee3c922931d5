import { beforeAll } from 'vitest';
import type { Queryable } from '../../src/db/index.js';

/**
 * A published outbox row is deleted (outbox/relay.ts), so the outbox no longer shows
 * what a statement wrote once the events are out. A test that asserts what went into
 * the outbox reads `outbox_log` instead: every row as inserted, copied by a trigger of
 * the test database only (the product has none). Call it after the hook that creates
 * the database (beforeAll hooks run in order).
 */
export function useOutboxLog(db: () => Queryable): void {
  beforeAll(() => logOutbox(db()));
}

/** The same, on a migrated database, for a test that makes its own hooks. */
export async function logOutbox(q: Queryable): Promise<void> {
  await q.query('CREATE TABLE IF NOT EXISTS outbox_log (LIKE outbox)');
  await q.query(`CREATE OR REPLACE FUNCTION outbox_log() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO outbox_log SELECT NEW.*; RETURN NULL; END $$`);
  await q.query('CREATE OR REPLACE TRIGGER outbox_log AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_log()');
}
