/**
 * Embedded mode's prepared statements (db/pglite-prepared.ts) answer exactly as PGlite's
 * own query() does: the same values of every type the server stores, the same row
 * counts, the same errors, and the same isolation from a running transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDb, type PgliteDb } from '../../src/db/pglite.js';

describe('PGlite prepared statements', () => {
  let db: PgliteDb;
  let plain: PGlite;
  beforeAll(async () => {
    db = await createPgliteDb();
    plain = await PGlite.create();
    for (const d of [db, plain]) {
      await d.exec(`CREATE TABLE t (id uuid PRIMARY KEY, n int NOT NULL, big bigint, f float8, ok bool, doc jsonb,
        at timestamptz, tags text[], ids uuid[], note text)`);
    }
  });
  afterAll(async () => {
    await db?.close();
    await plain?.close();
  });

  const ID1 = '00000000-0000-4000-8000-000000000001';
  const ID2 = '00000000-0000-4000-8000-000000000002';
  const at = new Date('2026-11-30T12:34:56.789Z');
  const insert = `INSERT INTO t (id, n, big, f, ok, doc, at, note)
    SELECT x.*, $8::text FROM unnest($1::uuid[], $2::int[], $3::bigint[], $4::float8[], $5::bool[], $6::jsonb[], $7::timestamptz[])
      AS x(id, n, big, f, ok, doc, at)`;

  it('returns the same rows, values and counts as query() for every type the server uses (run twice: prepared, then reused)', async () => {
    const params = [[ID1, ID2], [1, 2], ['9007199254740993', null], [0.5, -1], [true, null],
      [JSON.stringify({ a: [1, 'x'] }), 'null'], [at, at], 'n"o\'te'];
    const a = await db.query(insert, params);
    const b = await plain.query(insert, params as unknown[]);
    expect(a.rowCount).toBe(2);
    expect(b.affectedRows).toBe(2);
    const tags = 'UPDATE t SET tags = $1::text[], ids = $2::uuid[] WHERE n = $3';
    for (const d of [db, plain]) await d.query(tags, [['a', 'b c', 'd"e'], [ID1, ID2], 1]);
    for (let round = 0; round < 2; round++) {
      const select = 'SELECT id, n, big, f, ok, doc, at, tags, ids, note, ARRAY[id] AS arr FROM t WHERE n >= $1 ORDER BY n';
      const mine = await db.query(select, [0]);
      const theirs = await plain.query(select, [0]);
      expect(mine.rows).toEqual(theirs.rows);
      expect(mine.rowCount).toBe(2);
    }
    const upd = await db.query('UPDATE t SET n = n + $1 WHERE id = ANY($2::uuid[])', [10, [ID1, ID2]]);
    expect(upd.rowCount).toBe(2);
    expect((await db.query<{ n: number }>('SELECT n FROM t WHERE id = $1', [ID1])).rows).toEqual([{ n: 11 }]);
  });

  it('a failing statement throws the database error with its code and changes nothing', async () => {
    const dup = db.query('INSERT INTO t (id, n) VALUES ($1, $2)', [ID1, 5]);
    await expect(dup).rejects.toMatchObject({ code: '23505' });
    // Prepared once, failing again the same way; a good one of the same shape still works.
    await expect(db.query('INSERT INTO t (id, n) VALUES ($1, $2)', [ID1, 5])).rejects.toMatchObject({ code: '23505' });
    const ID3 = '00000000-0000-4000-8000-000000000003';
    expect((await db.query('INSERT INTO t (id, n) VALUES ($1, $2)', [ID3, 3])).rowCount).toBe(1);
    await expect(db.query('SELECT nope FROM t WHERE n = $1', [1])).rejects.toMatchObject({ code: '42703' });
  });

  it('inside a transaction: rolled back with it; outside: waits until the transaction ends', async () => {
    const ID4 = '00000000-0000-4000-8000-000000000004';
    let release!: () => void;
    let begun!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inside = new Promise<void>((r) => (begun = r));
    const tx = db.transaction(async (q) => {
      await q.query('INSERT INTO t (id, n) VALUES ($1, $2)', [ID4, 4]);
      begun();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    // A statement from outside may not see (or run inside) the open transaction.
    const outside = db.query<{ c: number }>('SELECT count(*)::int AS c FROM t WHERE id = $1', [ID4]);
    const raced = await Promise.race([outside.then(() => 'ran'), new Promise((r) => setTimeout(() => r('waited'), 200))]);
    expect(raced).toBe('waited');
    release();
    await expect(tx).rejects.toThrow('roll back');
    expect((await outside).rows).toEqual([{ c: 0 }]);
  });
});
