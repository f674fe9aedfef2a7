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

/** A drizzle `.prepare()`d select, with how to read its result. */
export interface PreparedRead<T> {
  query: { getQuery(): Query; mapAllResult(result: unknown, isFromBatch?: boolean): unknown; mapGetResult(result: unknown, isFromBatch?: boolean): unknown };
  values: Record<string, unknown>;
  mode: 'all' | 'get';
  /** Only carries the result type. */
  _type?: T;
}

/** Every row of a prepared select, for `readBatch`. */
export function allOf<T>(query: { all(values?: Record<string, unknown>): Promise<T[]> } & PreparedRead<T>['query'], values: Record<string, unknown>): PreparedRead<T[]> {
  return { query, values, mode: 'all' };
}

/** The first row of a prepared select (or undefined), for `readBatch`. */
export function firstOf<T>(query: { get(values?: Record<string, unknown>): Promise<T | undefined> } & PreparedRead<T>['query'], values: Record<string, unknown>): PreparedRead<T | undefined> {
  return { query, values, mode: 'get' };
}

const statementsOf = new WeakMap<object, D1PreparedStatement>();

/** A prepared select as a D1 statement for a batch, with how to read its result as drizzle would. */
export function boundRead<T>(db: Db, { query, values, mode }: PreparedRead<T>): { statement: D1PreparedStatement; read(result: D1Result | undefined): T } {
  const { sql, params } = query.getQuery();
  let statement = statementsOf.get(query);
  if (!statement) statementsOf.set(query, (statement = db.$client.prepare(sql)));
  return {
    statement: statement.bind(...fillPlaceholders(params, values)),
    read: (result) => {
      if (mode === 'all') return query.mapAllResult(result, true) as T;
      // drizzle maps the first row unconditionally; no row is simply undefined.
      return (result?.results.length ? query.mapGetResult(result, true) : undefined) as T;
    },
  };
}

/**
 * Runs prepared selects in one D1 round trip and maps their rows as drizzle would. For requests whose
 * reads do not depend on each other (a token's address row and the page it asked for).
 */
export async function readBatch<T extends readonly PreparedRead<unknown>[]>(
  db: Db,
  reads: readonly [...T],
): Promise<{ [K in keyof T]: T[K] extends PreparedRead<infer R> ? R : never }> {
  const bound = reads.map((r) => boundRead(db, r));
  const results = await db.$client.batch(bound.map((b) => b.statement));
  return bound.map((b, i) => b.read(results[i])) as { [K in keyof T]: T[K] extends PreparedRead<infer R> ? R : never };
}
