/** Queries on `api_keys`. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import type { BatchItem } from 'drizzle-orm/batch';
import { firstOf, perDatabase } from './prepared';
import { addresses, apiKeys, type AddressRow, type ApiKeyRow } from './schema';

// Every /api/v1 request with a key reads the key and, for a mailbox key, its mailbox: one query.
const statements = perDatabase((db) => ({
  byHash: db
    .select({ key: apiKeys, mailbox: addresses })
    .from(apiKeys)
    .leftJoin(addresses, eq(addresses.id, apiKeys.addressId))
    .where(eq(apiKeys.hash, sql.placeholder('hash')))
    .prepare(),
  byHashForBatch: keyWithMailboxAddress(db).where(eq(apiKeys.hash, sql.placeholder('hash'))).prepare(),
}));

/**
 * The key with the address of its mailbox (null for an admin key, or a mailbox that is gone), for
 * batches: a batch hands rows back as objects keyed by column name, so a join of two whole tables
 * (both have `id`) cannot be read from one; one extra column can.
 */
function keyWithMailboxAddress(db: Db) {
  return db
    .select({ key: apiKeys, mailboxAddress: sql<string | null>`(select a.address from addresses a where a.id = ${apiKeys.addressId})`.as('mailbox_address') })
    .from(apiKeys);
}

export type KeyWithMailbox = { key: ApiKeyRow; mailbox: AddressRow | null };
/** A key as a batch reads it: with its mailbox's address only. */
export type KeyWithMailboxAddress = { key: ApiKeyRow; mailboxAddress: string | null };

/** The key with this hash, as one read of a `readBatch` (db/prepared.ts). */
export const keyByHashRead = (db: Db, hash: string) => firstOf(statements(db).byHashForBatch, { hash });

/**
 * `query` (keyed by `addressIdNamed(address)`) in one D1 batch with the key whose hash is `hash` (and
 * its mailbox) and the address row named `address`, for a caller whose key is checked afterwards:
 * nothing here decides access.
 */
export async function withKeyAndAddressNamed<Q extends BatchItem<'sqlite'>>(
  db: Db,
  hash: string,
  address: string,
  query: Q,
): Promise<{ key: KeyWithMailboxAddress | undefined; address: AddressRow | undefined; result: Q['_']['result'] }> {
  const [keys, rows, result] = await db.batch([
    keyWithMailboxAddress(db).where(eq(apiKeys.hash, hash)),
    db.select().from(addresses).where(eq(addresses.address, address)),
    query,
  ]);
  return { key: keys[0], address: rows[0], result };
}

export async function insertKey(db: Db, row: Omit<ApiKeyRow, 'id'>): Promise<ApiKeyRow> {
  const [inserted] = await db.insert(apiKeys).values(row).returning();
  if (!inserted) throw new Error('key insert returned nothing');
  return inserted;
}

/** The key with this hash, and the mailbox a mailbox key is scoped to (null for admin keys). */
export async function findKeyByHash(db: Db, hash: string): Promise<KeyWithMailbox | null> {
  return (await statements(db).byHash.get({ hash })) ?? null;
}

export async function findKeyByPublicId(db: Db, publicId: string): Promise<ApiKeyRow | null> {
  return (await db.select().from(apiKeys).where(eq(apiKeys.publicId, publicId)).get()) ?? null;
}

export async function listKeys(db: Db, limit: number, offset: number): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.id)).limit(limit).offset(offset);
}

export async function revokeKey(db: Db, publicId: string, now: number): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.publicId, publicId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function touchKey(db: Db, id: number, now: number): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}

export async function findKeyById(db: Db, id: number): Promise<ApiKeyRow | null> {
  return (await db.select().from(apiKeys).where(eq(apiKeys.id, id)).get()) ?? null;
}

export async function countKeys(db: Db): Promise<number> {
  return (await db.select({ n: sql<number>`count(*)` }).from(apiKeys).get())?.n ?? 0;
}
