/** Queries on `sessions`. */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from './client';
import { sessions, type SessionRow } from './schema-accounts';

export async function insertSession(db: Db, row: Omit<SessionRow, 'id' | 'lastUsedAt' | 'revokedAt'>): Promise<SessionRow> {
  const [inserted] = await db.insert(sessions).values(row).returning();
  if (!inserted) throw new Error('session insert returned nothing');
  return inserted;
}

export async function findSessionByHash(db: Db, tokenHash: string): Promise<SessionRow | null> {
  return (await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).get()) ?? null;
}

export async function findSessionById(db: Db, id: number): Promise<SessionRow | null> {
  return (await db.select().from(sessions).where(eq(sessions.id, id)).get()) ?? null;
}

/** The user's sessions that still work, newest first. */
export async function liveSessions(db: Db, userId: number, now: number): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.id));
}

/** Revokes one of the user's sessions by public id; false when there is no such live session. */
export async function revokeSessionRow(db: Db, userId: number, publicId: string, now: number): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function touchSession(db: Db, id: number, now: number): Promise<void> {
  await db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, id));
}

export async function revokeSessionById(db: Db, id: number, now: number): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}
