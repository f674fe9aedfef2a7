/** The drizzle handle every query function takes: one per D1 binding, built once per isolate. */
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import * as mailSchema from './schema';
import * as accountSchema from './schema-accounts';
import * as sendingSchema from './schema-sending';

const schema = { ...mailSchema, ...sendingSchema, ...accountSchema };

/** drizzle over D1, with the binding itself as `$client` (for statements batched raw, see db/prepared.ts). */
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

// drizzle() walks the whole schema to build its relational config; doing that per request was ~16 % of CPU.
const clients = new WeakMap<D1Database, Db>();

export function createDb(d1: D1Database): Db {
  let db = clients.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    clients.set(d1, db);
  }
  return db;
}
