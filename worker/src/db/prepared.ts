/**
 * Hot statements, built once. drizzle turns a query with `sql.placeholder(...)` values into SQL text
 * once per isolate and D1 gets one statement object per database; each call only binds values.
 * Building a drizzle query per call (SQL text, parameter walk) cost more CPU on the hot paths than
 * D1's own client work.
 */
import { fillPlaceholders, type Query } from 'drizzle-orm';
import type { Db } from './client';

/**
 * `build(db)` runs once per drizzle handle; everything it returns (typically drizzle `.prepare()`d
 * queries, which keep their row mapping) is reused by every later call with the same handle.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}

/**
 * A raw D1 statement for `db.$client.batch([...])`, which drizzle's own batch cannot build from
 * prepared queries. Values are encoded as drizzle would (booleans, custom column types); results come
 * back as D1 returns them (snake_case column names).
 */
export function batchStatement<P extends Record<string, unknown>>(build: (db: Db) => { toSQL(): Query }) {
  const built = perDatabase((db) => {
    const query = build(db).toSQL();
    return { statement: db.$client.prepare(query.sql), params: query.params };
  });
  return (db: Db, values: P): D1PreparedStatement => {
    const { statement, params } = built(db);
    return statement.bind(...fillPlaceholders(params, values));
  };
}
