/**
 * Storing one received message: every row it needs in ONE D1 batch (a transaction), from statements
 * prepared once. The mail row, its contents and attachments, the mailbox counter, the pending search
 * text (indexed later, off the delivery path) and optionally the delivery-log entry either all land or
 * none does. A second copy of the same delivery fails the batch on the unique (address_id, dedupe_key)
 * index; the caller then finds the first copy's id.
 */
import { and, eq, sql, type Placeholder } from 'drizzle-orm';
import type { Db } from './client';
import { deliveryRow, type DeliveryEntry } from './delivery-log';
import { mailboxToken } from './fts';
import type { MailRecord } from './mails';
import { isReceivedFolder } from './mails';
import { batchStatement, boundRead, type PreparedRead } from './prepared';
import { addresses, attachments, deliveryLog, mailContents, mails, searchPending } from './schema';

const p = sql.placeholder;

// Child rows find the new id through the unique dedupe key, which keeps the batch self-contained.
const newMailId = sql`(select ${mails.id} from ${mails} where ${mails.addressId} = ${p('addressId')} and ${mails.dedupeKey} = ${p('dedupeKey')})`;

type MailValues = MailRecord['mail'];
const MAIL_COLUMNS = [
  'addressId', 'publicId', 'folder', 'dedupeKey', 'messageId', 'source', 'recipient', 'fromName', 'fromAddress', 'toJson', 'ccJson',
  'replyToJson', 'subject', 'sentAt', 'inReplyTo', 'references', 'snippet', 'hasAttachments', 'rawSize', 'parseError',
  'verificationCode', 'verificationLink', 'verificationConfidence', 'createdAt',
] as const satisfies readonly (keyof MailValues)[];

// Every column a record sets must be bound: a field added to MailRecord['mail'] without a column here
// would be silently dropped, so the compiler checks the list is complete.
type Unbound = Exclude<keyof MailValues, (typeof MAIL_COLUMNS)[number] | 'id' | 'seen' | 'flagged'>;
const allBound: [Unbound] extends [never] ? true : Unbound = true;
void allBound;

type MailColumn = (typeof MAIL_COLUMNS)[number];
const mailPlaceholders = Object.fromEntries(MAIL_COLUMNS.map((column) => [column, p(column)])) as { [K in MailColumn]: Placeholder<K> };

const insertMail = batchStatement((db) => db.insert(mails).values(mailPlaceholders).returning({ id: mails.id }));

const insertContents = batchStatement((db) =>
  db.insert(mailContents).values({
    mailId: newMailId,
    raw: p('raw'),
    rawKey: p('rawKey'),
    text: p('text'),
    html: p('html'),
    bodiesInRaw: p('bodiesInRaw'),
    headersJson: p('headersJson'),
  }),
);

const insertAttachment = batchStatement((db) =>
  db.insert(attachments).values({
    mailId: newMailId,
    idx: p('idx'),
    filename: p('filename'),
    contentType: p('contentType'),
    disposition: p('disposition'),
    contentId: p('contentId'),
    size: p('size'),
    content: p('content'),
    blobKey: p('blobKey'),
  }),
);

const countMail = batchStatement((db) =>
  db
    .update(addresses)
    .set({ mailCount: sql`${addresses.mailCount} + ${p('received')}`, lastActiveAt: sql`${p('createdAt')}` })
    .where(eq(addresses.id, p('addressId'))),
);

const insertPendingSearch = batchStatement((db) =>
  db.insert(searchPending).values({
    mailId: newMailId,
    mailbox: p('mailbox'),
    subject: p('subject'),
    sender: p('sender'),
    recipients: p('recipients'),
    body: p('body'),
    createdAt: p('createdAt'),
  }),
);

const insertDeliveryLog = batchStatement((db) =>
  db.insert(deliveryLog).values({
    direction: p('direction'),
    status: p('status'),
    sender: p('sender'),
    senderDomain: p('senderDomain'),
    recipient: p('recipient'),
    recipientDomain: p('recipientDomain'),
    createdAt: p('createdAt'),
  }),
);

/** The statements one stored message writes: mail, contents, counters, pending search text, attachments, log. */
function recordStatements(db: Db, record: MailRecord, log?: DeliveryEntry) {
  const { mail } = record;
  const key = { addressId: mail.addressId, dedupeKey: mail.dedupeKey };
  // D1 binds null, never undefined.
  const mailValues = Object.fromEntries(MAIL_COLUMNS.map((column) => [column, mail[column] ?? null]));
  const statements = [
    insertMail(db, mailValues),
    insertContents(db, { ...key, ...record.contents, raw: record.contents.raw ?? null, rawKey: record.contents.rawKey ?? null, text: record.contents.text ?? null, html: record.contents.html ?? null }),
    countMail(db, { addressId: mail.addressId, received: isReceivedFolder(mail.folder) ? 1 : 0, createdAt: mail.createdAt }),
    insertPendingSearch(db, { ...key, ...record.search, mailbox: mailboxToken(mail.addressId), createdAt: mail.createdAt }),
    ...record.attachments.map((a) => insertAttachment(db, { ...key, ...a, content: a.content ?? null, blobKey: a.blobKey ?? null })),
  ];
  if (log) statements.push(insertDeliveryLog(db, deliveryRow(log, mail.createdAt)));
  return statements;
}

/**
 * Inserts everything one message writes in a single transaction and returns the new mail id, and what
 * `andRead` (a prepared select run last in the same transaction) found. Throws when the same delivery
 * is already stored (unique dedupe key), leaving nothing behind.
 */
export async function insertMailRecord<R = undefined>(db: Db, record: MailRecord, log?: DeliveryEntry, andRead?: PreparedRead<R>): Promise<{ id: number; read: R | undefined }> {
  const { ids, read } = await insertMailRecords(db, [record], andRead, log);
  return { id: ids[0]!, read };
}

/**
 * Several messages (one message's copies for several mailboxes) in one transaction: all stored, or,
 * when any of them is already stored, none. Ids in the order of `records`.
 */
export async function insertMailRecords<R = undefined>(db: Db, records: MailRecord[], andRead?: PreparedRead<R>, log?: DeliveryEntry): Promise<{ ids: number[]; read: R | undefined }> {
  const statements = [];
  // Where each record's mail insert (the one that returns its id) sits in the batch.
  const firsts: number[] = [];
  for (const record of records) {
    firsts.push(statements.length);
    statements.push(...recordStatements(db, record, log));
  }
  const extra = andRead ? boundRead(db, andRead) : undefined;
  if (extra) statements.push(extra.statement);
  const results = await db.$client.batch(statements);
  const ids = firsts.map((at) => {
    const id = (results[at]?.results[0] as { id?: number } | undefined)?.id;
    if (id === undefined) throw new Error('mail insert returned no id');
    return id;
  });
  return { ids, read: extra?.read(results.at(-1)) };
}

/** The id of the stored copy of a delivery, if there is one (served by the unique dedupe index). */
export async function findMailIdByDedupeKey(db: Db, addressId: number, dedupeKey: string): Promise<number | null> {
  const row = await db
    .select({ id: mails.id })
    .from(mails)
    .where(and(eq(mails.addressId, addressId), eq(mails.dedupeKey, dedupeKey)))
    .get();
  return row?.id ?? null;
}
