/** Queries on `idempotency_keys`. */
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from './client';
import { idempotencyKeys } from './schema-sending';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/** Claims a key for a new request; null when the key is already taken (the caller reads it). */
export async function claimKey(
  db: Db,
  row: { scope: string; key: string; fingerprint: string; createdAt: number; expiresAt: number },
): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...row, status: 'in_flight' })
    .onConflictDoNothing()
    .returning({ id: idempotencyKeys.id });
  return inserted.length > 0;
}

export async function findKey(db: Db, scope: string, key: string): Promise<IdempotencyRow | null> {
  return (await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key))).get()) ?? null;
}

export async function completeKey(db: Db, scope: string, key: string, responseStatus: number, responseBody: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: 'done', responseStatus, responseBody })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

export async function releaseKey(db: Db, scope: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** Deletes expired keys, a bounded batch at a time. */
export async function purgeExpiredKeys(db: Db, now: number, limit: number): Promise<number> {
  const expired = db.select({ id: idempotencyKeys.id }).from(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).limit(limit);
  const rows = await db.delete(idempotencyKeys).where(inArray(idempotencyKeys.id, expired)).returning({ id: idempotencyKeys.id });
  return rows.length;
}
