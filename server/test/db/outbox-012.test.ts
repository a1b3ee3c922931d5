import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { backends, type Backend } from '../helpers/db.js';

/** An empty database (the PGlite backend's comes from a migrated template). */
const empty = (b: Backend) => b.name === 'pglite'
  ? createPgliteDb(undefined).then((db) => ({ db, drop: () => db.close() }))
  : b.create();

/**
 * Migration 012 on a database with rows in it (a live outbox, as an older build left it):
 * the rows it had marked published go, the unpublished ones stay with their data for the
 * relay, and a game event's row may now carry none.
 */
describe.each(backends())('migration 012, the lean outbox ($name)', (backend) => {
  it('keeps every unpublished row, drops the published ones, lets a game row carry no data', async () => {
    const t = await empty(backend);
    try {
      await migrate(t.db, loadMigrations().filter((m) => m.version < 12));
      await t.db.query(`INSERT INTO outbox (topic, seq, kind, data, published_at) VALUES
        ('game:00000000-0000-4000-8000-000000000001', 1, 'game.created', '{"n":1}', now()),
        ('game:00000000-0000-4000-8000-000000000001', 2, 'player.joined', '{"n":2}', NULL),
        ('lobby', 0, 'lobby.game', '{"n":3}', now()),
        ('lobby', 0, 'lobby.game', '{"n":4}', NULL)`);
      expect(await migrate(t.db)).toEqual(loadMigrations().filter((m) => m.version >= 12).map((m) => m.version));
      const { rows } = await t.db.query<{ seq: number; data: unknown }>('SELECT seq, data FROM outbox ORDER BY id');
      expect(rows).toEqual([{ seq: 2, data: { n: 2 } }, { seq: 0, data: { n: 4 } }]);
      await t.db.query(`INSERT INTO outbox (topic, seq, kind) VALUES ('game:00000000-0000-4000-8000-000000000001', 3, 'move')`);
    } finally {
      await t.drop();
    }
  });
});
