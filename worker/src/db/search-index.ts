/**
 * The write side of the search index: rows wait in `search_pending` (written with their message) and
 * move into the FTS5 table `mails_fts` in bulk. Each move is one transaction that copies and deletes
 * the same pending rows, so a row is indexed exactly once however many movers (queue consumer, cron
 * sweep, a redelivered queue message) race for it; a mail deleted meanwhile takes its pending row with
 * it (ON DELETE CASCADE) and is never indexed.
 */
import { asc, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { mailsFts } from './fts';
import { batchStatement } from './prepared';
import { searchPending } from './schema';

// Ids travel as one JSON array, whatever their number (D1 binds at most 100 parameters).
const pendingIds = (db: Db) =>
  db.select({ id: searchPending.mailId }).from(searchPending).where(inArray(searchPending.mailId, sql`(select value from json_each(${sql.placeholder('ids')}))`));

// An index row left by any other writer would make the insert fail on its rowid; clear it first.
const clearIndexed = batchStatement((db) => db.delete(mailsFts).where(inArray(mailsFts.rowid, pendingIds(db))));

const copyToIndex = batchStatement((db) =>
  db.insert(mailsFts).select(
    db
      .select({
        rowid: searchPending.mailId,
        subject: searchPending.subject,
        sender: searchPending.sender,
        recipients: searchPending.recipients,
        body: searchPending.body,
        mailbox: searchPending.mailbox,
      })
      .from(searchPending)
      .where(inArray(searchPending.mailId, pendingIds(db))),
  ),
);

const dropPending = batchStatement((db) => db.delete(searchPending).where(inArray(searchPending.mailId, pendingIds(db))));

/** Moves the pending rows of these mails into the index; returns how many were indexed. */
export async function indexPending(db: Db, mailIds: readonly number[]): Promise<number> {
  if (mailIds.length === 0) return 0;
  const values = { ids: JSON.stringify(mailIds) };
  const [, copied] = await db.$client.batch([clearIndexed(db, values), copyToIndex(db, values), dropPending(db, values)]);
  return copied?.meta.changes ?? 0;
}

/** Mails whose search text has waited since before `cutoff`, oldest first. */
export async function stalePendingIds(db: Db, cutoff: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: searchPending.mailId })
    .from(searchPending)
    .where(lt(searchPending.createdAt, cutoff))
    .orderBy(asc(searchPending.mailId))
    .limit(limit);
  return rows.map((r) => r.id);
}
