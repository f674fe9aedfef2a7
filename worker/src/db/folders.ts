/** v1 queries on `mails` by folder, public id and flags. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { mailboxToken, mailsFts } from './fts';
import { isReceivedFolder, type SearchText } from './mails';
import { perDatabase } from './prepared';
import { addresses, folderCounts as folderCountsTable, mailContents, mails, searchPending, type MailRow } from './schema';

export const FOLDERS = ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk'] as const;
export type Folder = (typeof FOLDERS)[number];

/** Messages, unread and bytes per folder, from the counters the triggers keep (never a scan). */
export async function folderCounts(db: Db, addressId: number) {
  return db
    .select({ folder: folderCountsTable.folder, messages: folderCountsTable.messages, unread: folderCountsTable.unread, size: folderCountsTable.size })
    .from(folderCountsTable)
    .where(eq(folderCountsTable.addressId, addressId));
}

export async function countInFolder(db: Db, addressId: number, folder: Folder, unread?: boolean): Promise<number> {
  const row = await statements(db).folderCount.get({ addressId, folder });
  if (!row) return 0;
  return unread === undefined ? row.messages : unread ? row.unread : row.messages - row.unread;
}

/** The columns a message summary shows: no bodies, no headers, nothing from other tables. */
const summaryColumns = {
  id: mails.id,
  publicId: mails.publicId,
  messageId: mails.messageId,
  folder: mails.folder,
  fromName: mails.fromName,
  fromAddress: mails.fromAddress,
  toJson: mails.toJson,
  subject: mails.subject,
  sentAt: mails.sentAt,
  rawSize: mails.rawSize,
  seen: mails.seen,
  flagged: mails.flagged,
  hasAttachments: mails.hasAttachments,
  snippet: mails.snippet,
  createdAt: mails.createdAt,
};

export type FolderSummaryRow = Pick<MailRow, keyof typeof summaryColumns>;

const p = sql.placeholder;
// Without a cursor, beforeId is past every id; the (address_id, folder, id) index serves both forms.
const inFolder = and(eq(mails.addressId, p('addressId')), eq(mails.folder, p('folder')), lt(mails.id, p('beforeId')));

const statements = perDatabase((db) => ({
  folderCount: db
    .select({ messages: folderCountsTable.messages, unread: folderCountsTable.unread })
    .from(folderCountsTable)
    .where(and(eq(folderCountsTable.addressId, p('addressId')), eq(folderCountsTable.folder, p('folder'))))
    .prepare(),
  list: db.select(summaryColumns).from(mails).where(inFolder).orderBy(desc(mails.id)).limit(p('limit')).offset(p('offset')).prepare(),
  listBySeen: db
    .select(summaryColumns)
    .from(mails)
    .where(and(inFolder, eq(mails.seen, p('seen'))))
    .orderBy(desc(mails.id))
    .limit(p('limit'))
    .offset(p('offset'))
    .prepare(),
}));

/** Newest first through (address_id, folder, id); `beforeId` continues after a cursor. */
export async function listFolder(
  db: Db,
  opts: { addressId: number; folder: Folder; limit: number; offset: number; beforeId?: number; unread?: boolean },
): Promise<FolderSummaryRow[]> {
  const values = { addressId: opts.addressId, folder: opts.folder, beforeId: opts.beforeId ?? Number.MAX_SAFE_INTEGER, limit: opts.limit, offset: opts.offset };
  if (opts.unread === undefined) return statements(db).list.all(values);
  return statements(db).listBySeen.all({ ...values, seen: !opts.unread });
}

export async function findByPublicId(db: Db, addressId: number, publicId: string): Promise<MailRow | null> {
  return (await db.select().from(mails).where(and(eq(mails.publicId, publicId), eq(mails.addressId, addressId))).get()) ?? null;
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
  now: number,
): Promise<void> {
  // The old text leaves the index now; the new text waits in search_pending like any new message's.
  await db.batch([
    db.update(mails).set(mail).where(eq(mails.id, id)),
    db.update(mailContents).set({ ...contents, rawKey: null, bodiesInRaw: false }).where(eq(mailContents.mailId, id)),
    db.delete(mailsFts).where(eq(mailsFts.rowid, id)),
    db
      .insert(searchPending)
      .values({ mailId: id, ...search, mailbox: mailboxToken(addressId), createdAt: now })
      .onConflictDoUpdate({ target: searchPending.mailId, set: { ...search, createdAt: now } }),
  ]);
}
