/** Queries on `mails` and the tables hanging off it (`mail_contents`, `attachments`). */
import { and, desc, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './client';
import { mailboxToken, mailsFts } from './fts';
import { containsPattern } from './like';
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

// D1 allows 100 bound parameters per statement; an attachment row binds 11.
const ATTACHMENT_ROWS_PER_INSERT = 8;

export async function findMailIdByDedupeKey(db: Db, addressId: number, dedupeKey: string): Promise<number | null> {
  const row = await db
    .select({ id: mails.id })
    .from(mails)
    .where(and(eq(mails.addressId, addressId), eq(mails.dedupeKey, dedupeKey)))
    .get();
  return row?.id ?? null;
}

/**
 * Inserts the mail, its contents, attachments and the mailbox counter atomically (D1 runs a batch
 * as one transaction), so a failure leaves nothing half-stored. Throws on a dedupe-key conflict.
 */
export async function insertMailRecord(db: Db, record: MailRecord): Promise<number> {
  const { addressId, dedupeKey } = record.mail;
  // Child rows find the new id through the unique dedupe key, which keeps the batch self-contained.
  const mailId = sql`(select ${mails.id} from ${mails} where ${mails.addressId} = ${addressId} and ${mails.dedupeKey} = ${dedupeKey})`;
  const { subject, sender, recipients, body } = record.search;
  const statements: BatchItem<'sqlite'>[] = [
    db.insert(mailContents).values({ ...record.contents, mailId }),
    db
      .update(addresses)
      .set({
        mailCount: isReceivedFolder(record.mail.folder) ? sql`${addresses.mailCount} + 1` : addresses.mailCount,
        lastActiveAt: record.mail.createdAt,
      })
      .where(eq(addresses.id, addressId)),
    db.insert(mailsFts).values({ rowid: mailId, subject, sender, recipients, body, mailbox: mailboxToken(addressId) }),
  ];
  for (let i = 0; i < record.attachments.length; i += ATTACHMENT_ROWS_PER_INSERT) {
    const chunk = record.attachments.slice(i, i + ATTACHMENT_ROWS_PER_INSERT);
    statements.push(db.insert(attachments).values(chunk.map((a) => ({ ...a, mailId }))));
  }
  const [inserted] = await db.batch([db.insert(mails).values(record.mail).returning({ id: mails.id }), ...statements]);
  const id = inserted[0]?.id;
  if (id === undefined) throw new Error('mail insert returned no id');
  return id;
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

/** Newest first; served by the (address_id, id) index, so cost does not grow with mailbox size. */
export async function listMailSummaries(db: Db, addressId: number, limit: number, offset: number, query?: string): Promise<MailSummaryRow[]> {
  return db
    .select(summaryColumns)
    .from(mails)
    .where(and(eq(mails.addressId, addressId), received, query ? matches(query) : undefined))
    .orderBy(desc(mails.id))
    .limit(limit)
    .offset(offset);
}

/** How many of a mailbox's messages match a search (only searches count; plain lists use the counter). */
export async function countMatching(db: Db, addressId: number, query: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(mails)
    .where(and(eq(mails.addressId, addressId), received, matches(query)))
    .get();
  return row?.n ?? 0;
}

/** Sender (name or address) or subject contains the text, case-insensitively for ASCII. */
function matches(query: string) {
  const pattern = containsPattern(query);
  return sql`(${mails.subject} LIKE ${pattern} ESCAPE '\\' OR ${mails.fromAddress} LIKE ${pattern} ESCAPE '\\' OR ${mails.fromName} LIKE ${pattern} ESCAPE '\\')`;
}

/** The compatibility list: summaries plus where the raw source is. */
export async function listMailsWithRaw(db: Db, addressId: number, limit: number, offset: number) {
  return db
    .select({ ...summaryColumns, raw: mailContents.raw, rawKey: mailContents.rawKey })
    .from(mails)
    .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
    .where(and(eq(mails.addressId, addressId), received))
    .orderBy(desc(mails.id))
    .limit(limit)
    .offset(offset);
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

export async function listAttachmentMeta(db: Db, mailId: number): Promise<AttachmentMeta[]> {
  const { content: _content, ...columns } = getTableColumns(attachments);
  return db.select(columns).from(attachments).where(eq(attachments.mailId, mailId)).orderBy(attachments.idx);
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
  const [raws, atts] = await Promise.all([
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
