/** Queries on `mails` and the tables hanging off it (`mail_contents`, `attachments`). */
import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { containsText } from './contains';
import { allOf, perDatabase } from './prepared';
import { indexedMatchIds } from './search';
import { addresses, attachments, mailContents, mails, type MailRow, type NewAttachment, type NewMail } from './schema';

export type MailContentsRow = typeof mailContents.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type AttachmentMeta = Omit<AttachmentRow, 'content'>;

/** Everything one received message writes, inserted in a single D1 transaction. */
export interface MailRecord {
  mail: Omit<NewMail, 'id'> & { folder: NonNullable<NewMail['folder']> };
  search: SearchText;
  contents: Omit<typeof mailContents.$inferInsert, 'mailId'>;
  attachments: Omit<NewAttachment, 'id' | 'mailId'>[];
}

/** Folders the legacy API lists and `addresses.mail_count` counts: received mail, wherever it was moved. */
export const RECEIVED_FOLDERS = ['INBOX', 'Junk', 'Trash'] as const;
export const isReceivedFolder = (folder: string) => (RECEIVED_FOLDERS as readonly string[]).includes(folder);
const received = inArray(mails.folder, [...RECEIVED_FOLDERS]);

/** Text the search index holds for one message. */
export interface SearchText {
  subject: string;
  sender: string;
  recipients: string;
  body: string;
}

const summaryColumns = {
  id: mails.id,
  messageId: mails.messageId,
  source: mails.source,
  recipient: mails.recipient,
  fromName: mails.fromName,
  fromAddress: mails.fromAddress,
  toJson: mails.toJson,
  subject: mails.subject,
  sentAt: mails.sentAt,
  snippet: mails.snippet,
  hasAttachments: mails.hasAttachments,
  rawSize: mails.rawSize,
  seen: mails.seen,
  publicId: mails.publicId,
  verificationCode: mails.verificationCode,
  verificationLink: mails.verificationLink,
  verificationConfidence: mails.verificationConfidence,
  createdAt: mails.createdAt,
};

export type MailSummaryRow = Pick<MailRow, keyof typeof summaryColumns>;

/** What the compatibility list shows of a mail besides its raw source. */
const compatColumns = {
  id: mails.id,
  messageId: mails.messageId,
  source: mails.source,
  recipient: mails.recipient,
  subject: mails.subject,
  createdAt: mails.createdAt,
};

export type CompatMailRow = Pick<MailRow, keyof typeof compatColumns>;

// The first pages of a mailbox are the most frequent reads there are; their SQL is built once.
/** Exported for the query-plan tests. */
export const listStatements = perDatabase((db) => ({
  summaries: db
    .select(summaryColumns)
    .from(mails)
    .where(and(eq(mails.addressId, sql.placeholder('addressId')), received))
    .orderBy(desc(mails.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(),
  withRaw: db
    .select({ ...compatColumns, raw: mailContents.raw, rawKey: mailContents.rawKey })
    .from(mails)
    .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
    .where(and(eq(mails.addressId, sql.placeholder('addressId')), received))
    .orderBy(desc(mails.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(),
}));

/** Newest first; served by the (address_id, id) index, so cost does not grow with mailbox size. */
export async function listMailSummaries(db: Db, addressId: number, limit: number, offset: number, query?: string): Promise<MailSummaryRow[]> {
  if (!query) return listStatements(db).summaries.all({ addressId, limit, offset });
  return db
    .select(summaryColumns)
    .from(mails)
    .where(and(eq(mails.addressId, addressId), received, matches(addressId, query)))
    .orderBy(desc(mails.id))
    .limit(limit)
    .offset(offset);
}

/** The first pages, as reads of a `readBatch` (db/prepared.ts). */
export const summariesRead = (db: Db, addressId: number, limit: number, offset: number) => allOf(listStatements(db).summaries, { addressId, limit, offset });
export const withRawRead = (db: Db, addressId: number, limit: number, offset: number) => allOf(listStatements(db).withRaw, { addressId, limit, offset });

/** How many of a mailbox's messages match a search (only searches count; plain lists use the counter). */
export async function countMatching(db: Db, addressId: number, query: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(mails)
    .where(and(eq(mails.addressId, addressId), received, matches(addressId, query)))
    .get();
  return row?.n ?? 0;
}

/**
 * Sender (name or address), subject or preview contains the text, case-insensitively for ASCII, or
 * the search index finds it anywhere in the message (body, recipients). The index is written about
 * a second after delivery; until then the preview, the start of the body, is what finds a code.
 */
function matches(addressId: number, query: string) {
  const indexed = indexedMatchIds(addressId, query);
  return or(
    containsText(mails.subject, query),
    containsText(mails.fromAddress, query),
    containsText(mails.fromName, query),
    containsText(mails.snippet, query),
    indexed ? sql`${mails.id} in (${indexed})` : undefined,
  );
}

/** The compatibility list: the few columns it shows, plus where the raw source is. */
export async function listMailsWithRaw(db: Db, addressId: number, limit: number, offset: number) {
  return listStatements(db).withRaw.all({ addressId, limit, offset });
}

export async function findMail(
  db: Db,
  addressId: number,
  id: number,
): Promise<{ mail: MailRow; contents: MailContentsRow } | null> {
  const row = await db
    .select({ mail: mails, contents: mailContents })
    .from(mails)
    .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
    .where(and(eq(mails.id, id), eq(mails.addressId, addressId)))
    .get();
  return row ?? null;
}

/** A message's attachments without their bytes, by position. */
function attachmentMetaQuery(db: Db, mailId: number) {
  const { content: _content, ...columns } = getTableColumns(attachments);
  return db.select(columns).from(attachments).where(eq(attachments.mailId, mailId)).orderBy(attachments.idx);
}

/**
 * `findMail` and the message's attachment list in one D1 round trip. The attachments are read by mail
 * id alone, so they are returned only when the mail is this mailbox's.
 */
export async function findMailWithAttachments(
  db: Db,
  addressId: number,
  id: number,
): Promise<{ mail: MailRow; contents: MailContentsRow; attachments: AttachmentMeta[] } | null> {
  const [rows, attachmentRows] = await db.batch([
    db
      .select({ mail: mails, contents: mailContents })
      .from(mails)
      .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
      .where(and(eq(mails.id, id), eq(mails.addressId, addressId)))
      .limit(1),
    attachmentMetaQuery(db, id),
  ]);
  return rows[0] ? { ...rows[0], attachments: attachmentRows } : null;
}

export async function findAttachment(db: Db, addressId: number, mailId: number, idx: number): Promise<AttachmentRow | null> {
  const row = await db
    .select({ attachment: attachments })
    .from(attachments)
    .innerJoin(mails, eq(mails.id, attachments.mailId))
    .where(and(eq(attachments.mailId, mailId), eq(attachments.idx, idx), eq(mails.addressId, addressId)))
    .get();
  return row?.attachment ?? null;
}

export async function markSeen(db: Db, addressId: number, id: number): Promise<void> {
  await db.update(mails).set({ seen: true }).where(and(eq(mails.id, id), eq(mails.addressId, addressId)));
}

/** R2 keys referenced by these mails of one mailbox, to delete after their rows are gone. */
export async function blobKeysOf(db: Db, addressId: number, mailIds: number[]): Promise<string[]> {
  if (mailIds.length === 0) return [];
  const owned = and(eq(mails.addressId, addressId), inArray(mails.id, mailIds));
  // One round trip for both.
  const [raws, atts] = await db.batch([
    db.select({ key: mailContents.rawKey }).from(mailContents).innerJoin(mails, eq(mails.id, mailContents.mailId)).where(owned),
    db.select({ key: attachments.blobKey }).from(attachments).innerJoin(mails, eq(mails.id, attachments.mailId)).where(owned),
  ]);
  return [...raws, ...atts].map((r) => r.key).filter((k): k is string => k !== null);
}

/** Deletes mails of one mailbox and keeps its counter right; children go by ON DELETE CASCADE. */
export async function deleteMailRows(db: Db, addressId: number, mailIds: number[]): Promise<number> {
  if (mailIds.length === 0) return 0;
  // The counter is decremented first, while the rows it counts still exist; both run in one transaction.
  const [, deleted] = await db.batch([
    db
      .update(addresses)
      .set({
        mailCount: sql`max(0, ${addresses.mailCount} - (select count(*) from ${mails} where ${mails.addressId} = ${addressId} and ${inArray(mails.id, mailIds)} and ${received}))`,
      })
      .where(eq(addresses.id, addressId)),
    db
      .delete(mails)
      .where(and(eq(mails.addressId, addressId), inArray(mails.id, mailIds)))
      .returning({ id: mails.id }),
  ]);
  return deleted.length;
}

/** Oldest mails received before `cutoff`, grouped for per-mailbox deletion. */
export async function findMailsOlderThan(db: Db, cutoff: number, limit: number) {
  return db
    .select({ id: mails.id, addressId: mails.addressId })
    .from(mails)
    .where(lt(mails.createdAt, cutoff))
    .orderBy(mails.createdAt)
    .limit(limit);
}
