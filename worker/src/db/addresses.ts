/** Queries on the `addresses` table. */
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { containsText } from './contains';
import { firstOf, perDatabase } from './prepared';
import { addresses, type AddressRow } from './schema';

// Every authenticated request and every delivery looks an address up: by id (tokens) or name (mail).
const lookups = perDatabase((db) => ({
  byId: db.select().from(addresses).where(eq(addresses.id, sql.placeholder('id'))).prepare(),
  byName: db.select().from(addresses).where(eq(addresses.address, sql.placeholder('address'))).prepare(),
}));

export async function insertAddress(
  db: Db,
  values: { address: string; now: number; sendBalance: number },
): Promise<AddressRow | null> {
  const rows = await db
    .insert(addresses)
    .values({ address: values.address, createdAt: values.now, lastActiveAt: values.now, sendBalance: values.sendBalance })
    .onConflictDoNothing({ target: addresses.address })
    .returning();
  return rows[0] ?? null;
}

/** Rows per insert: each binds seven values (every column but the id), and D1 takes 100 per statement. */
const ADDRESSES_PER_INSERT = 14;

/**
 * Several new addresses in one round trip (a batch of inserts); the rows inserted (an address that
 * exists already is skipped, not an error).
 */
export async function insertAddresses(db: Db, values: { addresses: readonly string[]; now: number; sendBalance: number }): Promise<AddressRow[]> {
  const inserts = chunksOf(values.addresses, ADDRESSES_PER_INSERT).map((chunk) =>
    db
      .insert(addresses)
      .values(chunk.map((address) => ({ address, createdAt: values.now, lastActiveAt: values.now, sendBalance: values.sendBalance })))
      .onConflictDoNothing({ target: addresses.address })
      .returning(),
  );
  const [first, ...rest] = inserts;
  if (!first) return [];
  if (rest.length === 0) return first;
  return (await db.batch([first, ...rest])).flat();
}

export async function findAddressById(db: Db, id: number): Promise<AddressRow | null> {
  return (await lookups(db).byId.get({ id })) ?? null;
}

/**
 * `query` run in the same D1 batch as a read of the address row `id`, for a caller that must check
 * that row (an address token's rotation, deletion) before it uses what `query` found.
 */
export async function withAddressRow<Q extends BatchItem<'sqlite'>>(db: Db, id: number, query: Q): Promise<{ address: AddressRow | undefined; result: Q['_']['result'] }> {
  const [rows, result] = await db.batch([db.select().from(addresses).where(eq(addresses.id, id)), query]);
  return { address: rows[0], result };
}

/**
 * The id of the address named `address`, as a subquery (NULL when there is none), so a read keyed by
 * a mailbox's name can run in the same batch as the read of its row (`withAddressNamed`).
 */
export type AddressIdRef = number | SQL<number>;
export const addressIdNamed = (address: string): SQL<number> => sql<number>`(select ${addresses.id} from ${addresses} where ${addresses.address} = ${address})`;

/**
 * `query` (keyed by `addressIdNamed(address)`) in the same D1 batch as the address row named
 * `address`, for a caller allowed to read any mailbox: one round trip, and a missing row means the
 * mailbox does not exist, whatever `query` found (nothing).
 */
export async function withAddressNamed<Q extends BatchItem<'sqlite'>>(db: Db, address: string, query: Q): Promise<{ address: AddressRow | undefined; result: Q['_']['result'] }> {
  const [rows, result] = await db.batch([db.select().from(addresses).where(eq(addresses.address, address)), query]);
  return { address: rows[0], result };
}

/** `findAddressByName` as one read of a `readBatch` (db/prepared.ts). */
export const addressByNameRead = (db: Db, address: string) => firstOf(lookups(db).byName, { address });

/** `findAddressById` as one read of a `readBatch` (db/prepared.ts). */
export const addressByIdRead = (db: Db, id: number) => firstOf(lookups(db).byId, { id });

/** By the unique index on `address` (lowercase `local@domain`). */
export async function findAddressByName(db: Db, address: string): Promise<AddressRow | null> {
  return (await lookups(db).byName.get({ address })) ?? null;
}

export async function bumpTokenVersion(db: Db, id: number): Promise<AddressRow | null> {
  const rows = await db
    .update(addresses)
    .set({ tokenVersion: sql`${addresses.tokenVersion} + 1` })
    .where(eq(addresses.id, id))
    .returning();
  return rows[0] ?? null;
}

/** Deletes the address; its mail, contents and attachment rows go with it (ON DELETE CASCADE). */
export async function deleteAddressRow(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(addresses).where(eq(addresses.id, id)).returning({ id: addresses.id });
  return rows.length > 0;
}

/** Marks the address as used, at most once per `minIntervalMs` so reads do not each cost a write. */
export async function touchAddress(db: Db, id: number, now: number, minIntervalMs: number): Promise<void> {
  await db
    .update(addresses)
    .set({ lastActiveAt: now })
    .where(and(eq(addresses.id, id), lt(addresses.lastActiveAt, now - minIntervalMs)));
}

export async function searchAddresses(
  db: Db,
  opts: { query?: string; limit: number; offset: number },
): Promise<{ rows: AddressRow[]; total: number }> {
  const where = opts.query ? containsText(addresses.address, opts.query) : undefined;
  const [rows, totalRow] = await Promise.all([
    db.select().from(addresses).where(where).orderBy(desc(addresses.id)).limit(opts.limit).offset(opts.offset),
    db.select({ n: sql<number>`count(*)` }).from(addresses).where(where).get(),
  ]);
  return { rows, total: totalRow?.n ?? 0 };
}

/** Ids of addresses idle since before `cutoff`, oldest first. */
export async function findIdleAddressIds(db: Db, cutoff: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: addresses.id })
    .from(addresses)
    .where(lt(addresses.lastActiveAt, cutoff))
    .orderBy(addresses.lastActiveAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Addresses by name, in one round trip (names beyond a statement's bound parameters go in more statements of one batch). */
export async function findAddressesByNames(db: Db, names: readonly string[]): Promise<AddressRow[]> {
  const [first, ...rest] = chunksOf(names, 90).map((chunk) => db.select().from(addresses).where(inArray(addresses.address, chunk)));
  if (!first) return [];
  if (rest.length === 0) return first;
  return (await db.batch([first, ...rest])).flat();
}

/** Several addresses by id, in one query. */
export async function findAddressesByIds(db: Db, ids: number[]): Promise<AddressRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(addresses).where(inArray(addresses.id, ids));
}
