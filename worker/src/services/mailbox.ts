/** Reading and deleting one mailbox's messages. Every lookup is scoped by the mailbox id. */
import {
  blobKeysOf,
  countMatching,
  deleteMailRows,
  findAttachment,
  findMail,
  findMailWithAttachments,
  listMailSummaries,
  listMailsWithRaw,
  markSeen,
  summariesRead,
  withRawRead,
  type AttachmentMeta,
  type MailContentsRow,
} from '../db/mails';
import { addressByIdRead, findAddressById } from '../db/addresses';
import { readBatch } from '../db/prepared';
import type { AddressRow, MailRow } from '../db/schema';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { deleteBlobs, getBlob, readStoredBytes } from './blobs';
import type { Deps } from './deps';
import { parseMessage } from './parse';
import { noteRead } from './tracking/replies';
import { liveAddress, type AddressTokenClaims } from './tokens';

export interface Page {
  limit: number;
  offset: number;
}

// The same answer for "not yours" and "does not exist": a 404 never confirms another mailbox's mail.
const notFound = () => new AppError('message_not_found', 'No such message in this mailbox.');

export async function listWithRaw(deps: Deps, mailbox: AddressRow, page: Page) {
  return { rows: await withRawSources(deps, await listMailsWithRaw(deps.db, mailbox.id, page.limit, page.offset)), count: mailbox.mailCount };
}

/**
 * `listWithRaw` for a token whose address row is not checked yet: the row and the page come in one
 * D1 round trip, and nothing is returned (or fetched from R2) unless the token is still valid.
 */
/** Who a first-page read is for: a mailbox already resolved, or an address token still to check against its row. */
export type MailboxReader = { mailbox: AddressRow } | { token: AddressTokenClaims };

/** The compatibility list for a reader (see `MailboxReader`), with the mailbox it turned out to be. */
export async function listWithRawFor(deps: Deps, reader: MailboxReader, page: Page) {
  if ('mailbox' in reader) return { mailbox: reader.mailbox, ...(await listWithRaw(deps, reader.mailbox, page)) };
  return listWithRawForToken(deps, reader.token, page);
}

/** A page of summaries for a reader (see `MailboxReader`), with the mailbox it turned out to be. */
export async function listSummariesFor(deps: Deps, reader: MailboxReader, page: Page, query?: string) {
  if ('mailbox' in reader) return { mailbox: reader.mailbox, ...(await listSummaries(deps, reader.mailbox, page, query)) };
  return listSummariesForToken(deps, reader.token, page, query);
}

async function listWithRawForToken(deps: Deps, token: AddressTokenClaims, page: Page) {
  const [row, rows] = await readBatch(deps.db, [addressByIdRead(deps.db, token.address_id), withRawRead(deps.db, token.address_id, page.limit, page.offset)]);
  const mailbox = liveAddress(token, row);
  return { mailbox, rows: await withRawSources(deps, rows), count: mailbox.mailCount };
}

async function withRawSources<T extends { raw: Bytes | null; rawKey: string | null }>(deps: Deps, rows: T[]) {
  return Promise.all(rows.map(async ({ raw, rawKey, ...row }) => ({ ...row, raw: await rawBytes(deps, { raw, rawKey }) })));
}

/** A page of summaries; with `query`, only messages whose sender or subject contains it. */
export async function listSummaries(deps: Deps, mailbox: AddressRow, page: Page, query?: string) {
  const [rows, count] = await Promise.all([
    listMailSummaries(deps.db, mailbox.id, page.limit, page.offset, query),
    query ? countMatching(deps.db, mailbox.id, query) : mailbox.mailCount,
  ]);
  return { rows, count };
}

/** `listSummaries` for a token whose address row is not checked yet (see `listWithRawForToken`). */
async function listSummariesForToken(deps: Deps, token: AddressTokenClaims, page: Page, query?: string) {
  if (query) {
    const mailbox = liveAddress(token, await findAddressById(deps.db, token.address_id));
    return { mailbox, ...(await listSummaries(deps, mailbox, page, query)) };
  }
  const [row, rows] = await readBatch(deps.db, [addressByIdRead(deps.db, token.address_id), summariesRead(deps.db, token.address_id, page.limit, page.offset)]);
  const mailbox = liveAddress(token, row);
  return { mailbox, rows, count: mailbox.mailCount };
}

export async function getRawMessage(deps: Deps, mailbox: AddressRow, id: number): Promise<{ mail: MailRow; raw: Bytes }> {
  const found = await findMail(deps.db, mailbox.id, id);
  if (!found) throw notFound();
  return { mail: found.mail, raw: await rawBytes(deps, found.contents) };
}

export interface FullMessage {
  mail: MailRow;
  text: string | null;
  html: string | null;
  headers: { key: string; value: string }[];
  attachments: AttachmentMeta[];
}

/** The parsed message; reading it marks it seen. */
export async function getFullMessage(deps: Deps, mailbox: AddressRow, id: number, opts = { markSeen: true }): Promise<FullMessage> {
  const found = await findMailWithAttachments(deps.db, mailbox.id, id);
  if (!found) throw notFound();
  const { mail, contents, attachments } = found;
  let { text, html } = contents;
  let headers: FullMessage['headers'];
  if (contents.bodiesInRaw) ({ text, html, headers } = await parseMessage(await rawBytes(deps, contents)));
  else headers = JSON.parse(contents.headersJson) as FullMessage['headers'];
  const turnsSeen = opts.markSeen && !mail.seen;
  if (turnsSeen) {
    await markSeen(deps.db, mailbox.id, mail.id);
    // A message we sent to this mailbox gets read_at (services/tracking/replies.ts).
    await noteRead(deps, mail);
  }
  return {
    mail: { ...mail, seen: mail.seen || opts.markSeen },
    text,
    html,
    headers,
    attachments,
  };
}

export async function getAttachmentContent(
  deps: Deps,
  mailbox: AddressRow,
  mailId: number,
  idx: number,
): Promise<{ meta: AttachmentMeta; body: Bytes | ReadableStream }> {
  const row = await findAttachment(deps.db, mailbox.id, mailId, idx);
  if (!row) throw new AppError('attachment_not_found', 'No such attachment on this message.');
  const { content, ...meta } = row;
  if (content) return { meta, body: content };
  if (!row.blobKey) throw new Error(`attachment ${row.id} has neither inline content nor a blob key`);
  return { meta, body: (await getBlob(deps.blobs, row.blobKey)).body };
}

export async function deleteMessage(deps: Deps, mailbox: AddressRow, id: number): Promise<void> {
  if ((await deleteMessages(deps, mailbox.id, [id])) === 0) throw notFound();
}

// D1 binds at most 100 parameters per statement; the counter update binds each id once plus two.
const DELETE_CHUNK = 40;

/** Deletes mails of one mailbox with their R2 objects; returns how many rows went. */
export async function deleteMessages(deps: Deps, addressId: number, ids: number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
    const chunk = ids.slice(i, i + DELETE_CHUNK);
    const keys = await blobKeysOf(deps.db, addressId, chunk);
    deleted += await deleteMailRows(deps.db, addressId, chunk);
    // Rows first: an orphaned object costs storage, a row without its object loses mail.
    await deleteBlobs(deps.blobs, keys);
  }
  return deleted;
}

function rawBytes(deps: Deps, contents: Pick<MailContentsRow, 'raw' | 'rawKey'>): Promise<Bytes> {
  return readStoredBytes(deps.blobs, contents);
}
