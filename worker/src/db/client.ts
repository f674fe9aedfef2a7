/** The drizzle handle every query function takes. */
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import * as mailSchema from './schema';
import * as accountSchema from './schema-accounts';

const schema = { ...mailSchema, ...accountSchema };

export type Db = DrizzleD1Database<typeof schema>;

export function createDb(d1: D1Database): Db {
  return drizzle(d1, { schema });
}
