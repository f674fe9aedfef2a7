/** Counts for the admin dashboard, each one indexed query. */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from './client';
import { RECEIVED_FOLDERS } from './mails';
import { addresses, mails } from './schema';
import { emails } from './schema-sending';

export async function countSince(db: Db, since: number) {
  const [addressCount, received, sent, failed] = await Promise.all([
    db.select({ n: sql<number>`count(*)` }).from(addresses).get(),
    db.select({ n: sql<number>`count(*)` }).from(mails).where(and(gt(mails.createdAt, since), inArray(mails.folder, [...RECEIVED_FOLDERS]))).get(),
    db.select({ n: sql<number>`count(*)` }).from(emails).where(gt(emails.createdAt, since)).get(),
    db
      .select({ n: sql<number>`count(*)` })
      .from(emails)
      .where(and(gt(emails.createdAt, since), inArray(emails.status, ['failed', 'bounced'])))
      .get(),
  ]);
  return { addresses: addressCount?.n ?? 0, received: received?.n ?? 0, sent: sent?.n ?? 0, failed: failed?.n ?? 0 };
}
