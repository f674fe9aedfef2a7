/** Queries on `sent_mails` and the sending counters on `addresses`. */
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { addresses, sentMails, type SentMailRow } from './schema';

/** Takes one unit of send balance; null when there is none left. Atomic, so concurrent sends cannot overdraw. */
export async function chargeSendBalance(db: Db, addressId: number): Promise<number | null> {
  const rows = await db
    .update(addresses)
    .set({ sendBalance: sql`${addresses.sendBalance} - 1` })
    .where(and(eq(addresses.id, addressId), gt(addresses.sendBalance, 0)))
    .returning({ balance: addresses.sendBalance });
  return rows[0]?.balance ?? null;
}

export async function refundSendBalance(db: Db, addressId: number): Promise<void> {
  await db.update(addresses).set({ sendBalance: sql`${addresses.sendBalance} + 1` }).where(eq(addresses.id, addressId));
}

export async function setSendBalance(db: Db, addressId: number, balance: number): Promise<boolean> {
  const rows = await db.update(addresses).set({ sendBalance: balance }).where(eq(addresses.id, addressId)).returning({ id: addresses.id });
  return rows.length > 0;
}

/** Messages sent since `since` and the oldest of them: enough to answer a rate limit with Retry-After. */
export async function sentSince(db: Db, addressId: number, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .select({ count: sql<number>`count(*)`, oldest: sql<number | null>`min(${sentMails.createdAt})` })
    .from(sentMails)
    .where(and(eq(sentMails.addressId, addressId), gt(sentMails.createdAt, since)))
    .get();
  return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
}

export async function insertSentMail(db: Db, row: Omit<SentMailRow, 'id'>): Promise<number> {
  const [inserted] = await db.batch([
    db.insert(sentMails).values(row).returning({ id: sentMails.id }),
    db.update(addresses).set({ sentCount: sql`${addresses.sentCount} + 1` }).where(eq(addresses.id, row.addressId)),
  ]);
  const id = inserted[0]?.id;
  if (id === undefined) throw new Error('sent mail insert returned no id');
  return id;
}

const listColumns = {
  id: sentMails.id,
  messageId: sentMails.messageId,
  subject: sentMails.subject,
  toJson: sentMails.toJson,
  ccJson: sentMails.ccJson,
  recipientsJson: sentMails.recipientsJson,
  status: sentMails.status,
  rawSize: sentMails.rawSize,
  createdAt: sentMails.createdAt,
};

export type SentSummaryRow = Pick<SentMailRow, keyof typeof listColumns>;

export async function listSentMails(db: Db, addressId: number, limit: number, offset: number): Promise<SentSummaryRow[]> {
  return db.select(listColumns).from(sentMails).where(eq(sentMails.addressId, addressId)).orderBy(desc(sentMails.id)).limit(limit).offset(offset);
}

export async function findSentMail(db: Db, addressId: number, id: number): Promise<SentMailRow | null> {
  return (await db.select().from(sentMails).where(and(eq(sentMails.id, id), eq(sentMails.addressId, addressId))).get()) ?? null;
}
