import { types, type PGlite } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';
import type { QueryResult } from './types.js';

/** A statement parsed once, by name, with what its parameters and rows are. */
interface Prepared {
  name: string;
  paramTypes: number[];
  fields: { name: string; dataTypeID: number }[];
}

/** Protocol messages as PGlite hands them back (parsed by its bundled pg-protocol). */
interface Message {
  name: string;
  dataTypeIDs?: number[];
  fields?: unknown[];
  text?: string;
}

/** Distinct statement texts prepared per database; beyond this, statements run unprepared. */
const MAX_PREPARED = 500;

/**
 * Parameterised statements on PGlite prepared once and then only bound and executed,
 * like the pg driver's named statements (db/pg.ts). PGlite's own `query()` parses,
 * describes and plans every statement on every call, in WASM on the event loop: for the
 * move batch's ten-CTE statement that was most of an embedded move's cost. Same
 * results as `query()`: rows as objects with values parsed by PGlite's type parsers,
 * errors as the DatabaseError (with `code`) that PGlite throws.
 *
 * `execProtocol` takes none of PGlite's locks, so each call takes them as `query()` does:
 * the query lock always, and outside a transaction the transaction lock first (a
 * statement from elsewhere waits until a running transaction ends, instead of running
 * inside it).
 */
export class PreparedStatements {
  private readonly statements = new Map<string, Prepared>();
  private next = 0;

  constructor(private readonly db: PGlite) {}

  /** Whether `sql` is (or may become) a prepared statement here. */
  accepts(params: readonly unknown[] | undefined): boolean {
    return params !== undefined && params.length > 0;
  }

  query<T>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<QueryResult<T>> | null {
    if (!this.statements.has(sql) && this.statements.size >= MAX_PREPARED) return null;
    const run = () => this.db._runExclusiveQuery(() => this.execute<T>(sql, params, inTransaction));
    return inTransaction ? run() : this.db._runExclusiveTransaction(run);
  }

  private async prepare(sql: string): Promise<Prepared> {
    const known = this.statements.get(sql);
    if (known) return known;
    const name = `mt_${++this.next}`;
    const { messages } = await this.db.execProtocol(
      Buffer.concat([serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const all = messages as unknown as Message[];
    const params = all.find((m) => m.name === 'parameterDescription');
    const rows = all.find((m) => m.name === 'rowDescription');
    const prepared: Prepared = {
      name,
      paramTypes: params?.dataTypeIDs ?? [],
      fields: ((rows?.fields ?? []) as { name: string; dataTypeID: number }[]).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    };
    this.statements.set(sql, prepared);
    return prepared;
  }

  private async execute<T>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<QueryResult<T>> {
    const p = await this.prepare(sql);
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serializer = this.db.serializers[p.paramTypes[i]!];
      return serializer ? serializer(v) : String(v);
    });
    const { messages } = await this.db.execProtocol(
      Buffer.concat([serialize.bind({ statement: p.name, values: values as (string | null)[] }), serialize.execute({}), serialize.sync()]),
      // Written to the data directory at the end of a statement, or of its transaction (as query() does).
      { syncToFs: !inTransaction },
    );
    const rows: T[] = [];
    let affected = 0;
    for (const m of messages as unknown as Message[]) {
      if (m.name === 'dataRow') {
        const row: Record<string, unknown> = {};
        const cells = m.fields as (string | null)[];
        p.fields.forEach((f, i) => {
          row[f.name] = types.parseType(cells[i] ?? null, f.dataTypeID, this.db.parsers);
        });
        rows.push(row as T);
      } else if (m.name === 'commandComplete') {
        // "INSERT 0 3", "UPDATE 2", "SELECT 5": the last number is the row count.
        const n = Number(/(\d+)$/.exec(m.text ?? '')?.[1] ?? 0);
        affected = Math.max(affected, n);
      }
    }
    return { rows, rowCount: Math.max(rows.length, affected) };
  }
}
