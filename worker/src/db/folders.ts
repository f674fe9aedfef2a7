/** v1 queries on `mails` by folder, public id and flags. */
import { and, desc, eq, lt, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { addressByIdRead, addressByNameRead, type AddressIdRef } from './addresses';
import type { Db } from './client';
import { keyByHashRead, type KeyWithMailboxAddress } from './keys';
import { mailboxToken, mailsFts } from './fts';
import { isReceivedFolder, type SearchText } from './mails';
import { allOf, firstOf, perDatabase, readBatch } from './prepared';
import { addresses, folderCounts as folderCountsTable, mailContents, mails, searchPending, type AddressRow, type MailRow } from './schema';

export const FOLDERS = ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk'] as const;
export type Folder = (typeof FOLDERS)[number];

/** Messages, unread and bytes per folder, from the counters the triggers keep (never a scan). */
export async function folderCounts(db: Db, addressId: number) {
  return folderCountsQuery(db, addressId);
}

/** `folderCounts` as a query not yet run, for a batch. */
export function folderCountsQuery(db: Db, addressId: AddressIdRef) {
  return db
    .select({ folder: folderCountsTable.folder, messages: folderCountsTable.messages, unread: folderCountsTable.unread, size: folderCountsTable.size })
    .from(folderCountsTable)
    .where(eq(folderCountsTable.addressId, addressId));
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
  source: mails.source,
  verificationCode: mails.verificationCode,
  verificationLink: mails.verificationLink,
  verificationConfidence: mails.verificationConfidence,
  createdAt: mails.createdAt,
};

export type FolderSummaryRow = Pick<MailRow, keyof typeof summaryColumns>;

const p = sql.placeholder;

/** A folder page's statements, with the mailbox given as `mailbox` (its id, or a subquery finding it by name). */
function buildFolderStatements(db: Db, mailbox: SQL | Placeholder) {
  // Without a cursor, beforeId is past every id; the (address_id, folder, id) index serves both forms.
  const inFolder = and(eq(mails.addressId, mailbox), eq(mails.folder, p('folder')), lt(mails.id, p('beforeId')));
  return {
    folderCount: db
      .select({ messages: folderCountsTable.messages, unread: folderCountsTable.unread })
      .from(folderCountsTable)
      .where(and(eq(folderCountsTable.addressId, mailbox), eq(folderCountsTable.folder, p('folder'))))
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
  };
}

/** Exported for the query-plan tests. */
export const folderStatements = perDatabase((db) => buildFolderStatements(db, p('addressId')));
/** The same statements for a mailbox known by name (`addressIdNamed`), so its row can be read in the same batch. */
export const namedFolderStatements = perDatabase((db) => buildFolderStatements(db, sql`(select ${addresses.id} from ${addresses} where ${addresses.address} = ${p('address')})`));

type FolderPage = { addressId: number; folder: Folder; limit: number; offset: number; beforeId?: number; unread?: boolean };
type NamedFolderPage = Omit<FolderPage, 'addressId' | 'beforeId'> & { address: string };

/** The two reads of a folder page: the page itself and the folder's counters. */
function folderPageReads(db: Db, opts: FolderPage | NamedFolderPage) {
  const mailbox = 'address' in opts ? { address: opts.address } : { addressId: opts.addressId };
  const values = { ...mailbox, folder: opts.folder, beforeId: ('beforeId' in opts ? opts.beforeId : undefined) ?? Number.MAX_SAFE_INTEGER, limit: opts.limit, offset: opts.offset };
  const statements = 'address' in opts ? namedFolderStatements(db) : folderStatements(db);
  const page = opts.unread === undefined ? allOf(statements.list, values) : allOf(statements.listBySeen, { ...values, seen: !opts.unread });
  return [page, firstOf(statements.folderCount, values)] as const;
}

/** One page of a folder, newest first through (address_id, folder, id), and the folder's total, in one D1 round trip. */
export async function listFolderWithTotal(db: Db, opts: FolderPage): Promise<{ rows: FolderSummaryRow[]; total: number }> {
  const [rows, counts] = await readBatch(db, folderPageReads(db, opts));
  return { rows, total: totalOf(counts, opts.unread) };
}

/**
 * `listFolderWithTotal` with the mailbox's own address row read in the same round trip, for a caller
 * whose token still has to be checked against that row. Nothing here decides access: the caller must
 * check the row before it returns anything.
 */
export async function listFolderWithAddress(db: Db, opts: FolderPage): Promise<{ address: AddressRow | undefined; rows: FolderSummaryRow[]; total: number }> {
  const [address, rows, counts] = await readBatch(db, [addressByIdRead(db, opts.addressId), ...folderPageReads(db, opts)]);
  return { address, rows, total: totalOf(counts, opts.unread) };
}

/**
 * The first page of the mailbox named `address` with its address row, in one D1 round trip, for a
 * caller allowed to read any mailbox: no row means no such mailbox (and the page is empty).
 */
export async function listNamedFolderWithAddress(db: Db, opts: NamedFolderPage): Promise<{ address: AddressRow | undefined; rows: FolderSummaryRow[]; total: number }> {
  const [address, rows, counts] = await readBatch(db, [addressByNameRead(db, opts.address), ...folderPageReads(db, opts)]);
  return { address, rows, total: totalOf(counts, opts.unread) };
}

/** `listNamedFolderWithAddress` with the API key whose hash is `keyHash` read too, for a caller whose key is checked afterwards. */
export async function listNamedFolderWithKey(
  db: Db,
  keyHash: string,
  opts: NamedFolderPage,
): Promise<{ key: KeyWithMailboxAddress | undefined; address: AddressRow | undefined; rows: FolderSummaryRow[]; total: number }> {
  const [key, address, rows, counts] = await readBatch(db, [keyByHashRead(db, keyHash), addressByNameRead(db, opts.address), ...folderPageReads(db, opts)]);
  return { key, address, rows, total: totalOf(counts, opts.unread) };
}

const totalOf = (row: { messages: number; unread: number } | undefined, unread?: boolean) =>
  !row ? 0 : unread === undefined ? row.messages : unread ? row.unread : row.messages - row.unread;

export async function findByPublicId(db: Db, addressId: number, publicId: string): Promise<MailRow | null> {
  return (await byPublicIdQuery(db, addressId, publicId))[0] ?? null;
}

/** `findByPublicId` as a query not yet run, for a batch. */
export function byPublicIdQuery(db: Db, addressId: AddressIdRef, publicId: string) {
  return db.select().from(mails).where(and(eq(mails.publicId, publicId), eq(mails.addressId, addressId))).limit(1);
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

/** Ids of up to `limit` messages in one folder, oldest first. */
export async function idsInFolder(db: Db, addressId: number, folder: Folder, limit: number): Promise<number[]> {
  const rows = await db.select({ id: mails.id }).from(mails).where(and(eq(mails.addressId, addressId), eq(mails.folder, folder))).orderBy(mails.id).limit(limit);
  return rows.map((r) => r.id);
}
