/** Counts for the admin dashboard, each one indexed query. */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from './client';
import { RECEIVED_FOLDERS } from './mails';
import { addresses, mails, sentMails } from './schema';

export async function countSince(db: Db, since: number) {
  const [addressCount, received, sent, failed] = await Promise.all([
    db.select({ n: sql<number>`count(*)` }).from(addresses).get(),
    db.select({ n: sql<number>`count(*)` }).from(mails).where(and(gt(mails.createdAt, since), inArray(mails.folder, [...RECEIVED_FOLDERS]))).get(),
    db.select({ n: sql<number>`count(*)` }).from(sentMails).where(gt(sentMails.createdAt, since)).get(),
    db
      .select({ n: sql<number>`count(*)` })
      .from(sentMails)
      .where(and(gt(sentMails.createdAt, since), eq(sentMails.status, 'failed')))
      .get(),
  ]);
  return { addresses: addressCount?.n ?? 0, received: received?.n ?? 0, sent: sent?.n ?? 0, failed: failed?.n ?? 0 };
}
