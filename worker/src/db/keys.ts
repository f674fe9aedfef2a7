/** Queries on `api_keys`. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { perDatabase } from './prepared';
import { addresses, apiKeys, type AddressRow, type ApiKeyRow } from './schema';

// Every /api/v1 request with a key reads the key and, for a mailbox key, its mailbox: one query.
const statements = perDatabase((db) => ({
  byHash: db
    .select({ key: apiKeys, mailbox: addresses })
    .from(apiKeys)
    .leftJoin(addresses, eq(addresses.id, apiKeys.addressId))
    .where(eq(apiKeys.hash, sql.placeholder('hash')))
    .prepare(),
}));

export async function insertKey(db: Db, row: Omit<ApiKeyRow, 'id'>): Promise<ApiKeyRow> {
  const [inserted] = await db.insert(apiKeys).values(row).returning();
  if (!inserted) throw new Error('key insert returned nothing');
  return inserted;
}

/** The key with this hash, and the mailbox a mailbox key is scoped to (null for admin keys). */
export async function findKeyByHash(db: Db, hash: string): Promise<{ key: ApiKeyRow; mailbox: AddressRow | null } | null> {
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
