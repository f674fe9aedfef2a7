/** v1 queries on `mails` by folder, public id and flags. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { mailboxToken, mailsFts } from './fts';
import { isReceivedFolder, type SearchText } from './mails';
import { addresses, mailContents, mails, type MailRow } from './schema';

export const FOLDERS = ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk'] as const;
export type Folder = (typeof FOLDERS)[number];

export async function folderCounts(db: Db, addressId: number) {
  return db
    .select({
      folder: mails.folder,
      messages: sql<number>`count(*)`,
      unread: sql<number>`sum(case when ${mails.seen} then 0 else 1 end)`,
      size: sql<number>`coalesce(sum(${mails.rawSize}), 0)`,
    })
    .from(mails)
    .where(eq(mails.addressId, addressId))
    .groupBy(mails.folder);
}

export async function countInFolder(db: Db, addressId: number, folder: Folder, unread?: boolean): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(mails)
    .where(and(eq(mails.addressId, addressId), eq(mails.folder, folder), unread === undefined ? undefined : eq(mails.seen, !unread)))
    .get();
  return row?.n ?? 0;
}

/** Newest first through (address_id, folder, id); `beforeId` continues after a cursor. */
export async function listFolder(
  db: Db,
  opts: { addressId: number; folder: Folder; limit: number; offset: number; beforeId?: number; unread?: boolean },
): Promise<MailRow[]> {
  return db
    .select()
    .from(mails)
    .where(
      and(
        eq(mails.addressId, opts.addressId),
        eq(mails.folder, opts.folder),
        opts.beforeId === undefined ? undefined : lt(mails.id, opts.beforeId),
        opts.unread === undefined ? undefined : eq(mails.seen, !opts.unread),
      ),
    )
    .orderBy(desc(mails.id))
    .limit(opts.limit)
    .offset(opts.offset);
}

export async function findByPublicId(db: Db, addressId: number, publicId: string): Promise<MailRow | null> {
  return (await db.select().from(mails).where(and(eq(mails.publicId, publicId), eq(mails.addressId, addressId))).get()) ?? null;
}

/** One mailbox's message by its numeric id (the original API's `id`). */
export async function findById(db: Db, addressId: number, id: number): Promise<MailRow | null> {
  return (await db.select().from(mails).where(and(eq(mails.id, id), eq(mails.addressId, addressId))).get()) ?? null;
}

/** Any mailbox's message by public id: only for admin callers, who may read every mailbox. */
export async function findByPublicIdInAnyMailbox(db: Db, publicId: string): Promise<MailRow | null> {
  return (await db.select().from(mails).where(eq(mails.publicId, publicId)).get()) ?? null;
}

/** Updates flags and folder, keeping the mailbox counter (received folders only) right. */
export async function updateMessage(db: Db, row: MailRow, changes: Partial<Pick<MailRow, 'seen' | 'flagged' | 'folder'>>): Promise<void> {
  const delta = changes.folder === undefined ? 0 : Number(isReceivedFolder(changes.folder)) - Number(isReceivedFolder(row.folder));
  await db.batch([
    db.update(mails).set(changes).where(eq(mails.id, row.id)),
    db
      .update(addresses)
      .set({ mailCount: sql`max(0, ${addresses.mailCount} + ${delta})` })
      .where(eq(addresses.id, row.addressId)),
  ]);
}

export async function replaceDraftContent(
  db: Db,
  { id, addressId }: Pick<MailRow, 'id' | 'addressId'>,
  mail: Partial<MailRow>,
  contents: { raw: Uint8Array<ArrayBuffer>; text: string | null; html: string | null; headersJson: string },
  search: SearchText,
): Promise<void> {
  await db.batch([
    db.update(mails).set(mail).where(eq(mails.id, id)),
    db.update(mailContents).set({ ...contents, rawKey: null, bodiesInRaw: false }).where(eq(mailContents.mailId, id)),
    db.delete(mailsFts).where(eq(mailsFts.rowid, id)),
    db.insert(mailsFts).values({ rowid: id, ...search, mailbox: mailboxToken(addressId) }),
  ]);
}
