/** The v1 mailbox model: folders, flags, trash semantics and drafts, addressed by public ids. */
import { byPublicIdQuery, findById, findByPublicId, FOLDERS, folderCounts, folderCountsQuery, listFolderWithAddress, listFolderWithTotal, listNamedFolderWithAddress, listNamedFolderWithKey, replaceDraftContent, updateMessage, type Folder } from '../db/folders';
import type { AddressIdRef } from '../db/addresses';
import { confirmedMailboxFor, namedMailbox, ownUncheckedToken, readAs, readsByName } from './mailbox-access';
import { findMail } from '../db/mails';
import { countMatches, searchMailbox, searchQuery, type SearchHit } from '../db/search';
import type { AddressRow, MailRow } from '../db/schema';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { mailboxPrincipal, type Confirmation, type Principal } from './principal';
import { liveAddress } from './tokens';
import type { Deps } from './deps';
import { ingestMessage, searchTextOf } from './ingest';
import { deleteMessages } from './mailbox';
import { buildMessage, type MimeMailbox } from './mime';
import { parseMessage, snippetOf } from './parse';
import { scheduleIndexing } from './search-index';
import { noteRead } from './tracking/replies';

export { FOLDERS, type Folder };

export const FLAG_SEEN = '\\Seen';
export const FLAG_FLAGGED = '\\Flagged';

export function parseFolder(name: string): Folder {
  const folder = FOLDERS.find((f) => f.toLowerCase() === name.toLowerCase());
  if (!folder) throw new AppError('invalid_folder', `Folder must be one of ${FOLDERS.join(', ')}.`, 'folder');
  return folder;
}

export async function listFolders(deps: Deps, mailbox: AddressRow) {
  return foldersFrom(await folderCounts(deps.db, mailbox.id));
}

type FolderCountRow = Awaited<ReturnType<typeof folderCounts>>[number];

function foldersFrom(rows: FolderCountRow[]) {
  const counts = new Map(rows.map((r) => [r.folder, r]));
  return FOLDERS.map((name) => ({ name, messages: counts.get(name)?.messages ?? 0, unread: counts.get(name)?.unread ?? 0, size: counts.get(name)?.size ?? 0 }));
}

/** `listFolders` for `principal`, with the mailbox (see `readAs`). */
export async function listFoldersFor(deps: Deps, principal: Principal, address: string) {
  const { mailbox, result, confirmed } = await readAs(deps, principal, address, (addressId) => folderCountsQuery(deps.db, addressId));
  return { mailbox, folders: foldersFrom(result), confirmed };
}

/** The message `uid` of `address` for `principal`, with the mailbox (see `readAs`: a rotated token is 401, never "no such message"). */
export async function findMessageFor(deps: Deps, principal: Principal, address: string, uid: string): Promise<{ mailbox: AddressRow; row: MailRow; confirmed: Confirmation }> {
  const { mailbox, result, confirmed } = await readAs(deps, principal, address, (addressId) => byPublicIdQuery(deps.db, addressId, uid));
  if (!result[0]) throw new AppError('message_not_found', 'No such message in this mailbox.');
  return { mailbox, row: result[0], confirmed };
}

type SearchOptions = { query: string; folder?: string; limit: number; snippetTokens?: number };

/** Full-text search of one mailbox, newest first; `folder` narrows it to one folder; `snippetTokens` (≤ 64) sizes the snippet. */
export async function searchMessages(deps: Deps, mailbox: AddressRow, opts: SearchOptions): Promise<SearchHit[]> {
  return searchMailbox(deps.db, searchOf(mailbox.id, opts));
}

/** How many messages of `mailbox` the search matches, up to `cap` (db/search.ts `countMatches`). */
export async function countSearchMatches(deps: Deps, mailbox: AddressRow, opts: Omit<SearchOptions, 'limit' | 'snippetTokens'>, cap: number): Promise<number> {
  return countMatches(deps.db, { addressId: mailbox.id, query: opts.query, folder: opts.folder ? parseFolder(opts.folder) : undefined }, cap);
}

const searchOf = (addressId: AddressIdRef, opts: SearchOptions) => ({
  addressId,
  query: opts.query,
  folder: opts.folder ? parseFolder(opts.folder) : undefined,
  limit: opts.limit,
  snippetTokens: opts.snippetTokens,
});

/** `searchMessages` for `principal`, with the mailbox (see `readAs`). */
export async function searchMessagesFor(deps: Deps, principal: Principal, address: string, opts: SearchOptions): Promise<{ mailbox: AddressRow; hits: SearchHit[]; confirmed: Confirmation }> {
  const { mailbox, result, confirmed } = await readAs(deps, principal, address, (addressId) => searchQuery(deps.db, searchOf(addressId, opts)));
  return { mailbox, hits: result, confirmed };
}

type ListOptions = { folder: Folder; limit: number; offset: number; cursor?: string; unread?: boolean };

/**
 * A page of `address`'s folder for `principal`, with the mailbox and who the caller turned out to be.
 * A first page takes one D1 round trip, as `readAs` reads: with the mailbox's own address token (its
 * row read with the page), with an API key not yet checked (the key and the mailbox by name read
 * with the page), or for a caller who may read every mailbox (the mailbox by name).
 */
export async function listMessagesFor(deps: Deps, principal: Principal, address: string, opts: ListOptions) {
  const claims = ownUncheckedToken(principal, address);
  if (claims && !opts.cursor) {
    const { address: row, rows, total } = await listFolderWithAddress(deps.db, { addressId: claims.address_id, ...opts });
    const mailbox = liveAddress(claims, row);
    return { mailbox, rows, total, nextCursor: nextCursorOf(rows, opts.limit), confirmed: { principal: mailboxPrincipal(mailbox) } };
  }
  const wanted = address.trim().toLowerCase();
  if (readsByName(principal) && !opts.cursor) {
    const page = { ...opts, address: wanted };
    const { key, address: row, rows, total } = principal.kind === 'key' ? await listNamedFolderWithKey(deps.db, principal.hash, page) : { key: undefined, ...(await listNamedFolderWithAddress(deps.db, page)) };
    return { ...namedMailbox(deps, principal, wanted, { key, address: row }), rows, total, nextCursor: nextCursorOf(rows, opts.limit) };
  }
  const { mailbox, confirmed } = await confirmedMailboxFor(deps, principal, address);
  return { mailbox, ...(await listMessages(deps, mailbox, opts)), confirmed };
}

const nextCursorOf = (rows: { publicId: string | null }[], limit: number) => (rows.length === limit ? rows.at(-1)?.publicId ?? null : null);

export async function listMessages(deps: Deps, mailbox: AddressRow, opts: ListOptions) {
  let beforeId: number | undefined;
  if (opts.cursor) beforeId = (await findMessage(deps, mailbox, opts.cursor, 'cursor')).id;
  const { rows, total } = await listFolderWithTotal(deps.db, {
    addressId: mailbox.id,
    folder: opts.folder,
    limit: opts.limit,
    offset: opts.cursor ? 0 : opts.offset,
    beforeId,
    unread: opts.unread,
  });
  return { rows, total, nextCursor: nextCursorOf(rows, opts.limit) };
}

export async function findMessage(deps: Deps, mailbox: AddressRow, uid: string, param = 'uid'): Promise<MailRow> {
  const row = await findByPublicId(deps.db, mailbox.id, uid);
  if (!row) throw new AppError('message_not_found', 'No such message in this mailbox.', param === 'uid' ? undefined : param);
  return row;
}

/** A message by its numeric id (the original API's `id`, the ByteSMTP door's `uid`); another mailbox's is "not found". */
export async function findMessageById(deps: Deps, mailbox: AddressRow, id: number): Promise<MailRow> {
  const row = await findById(deps.db, mailbox.id, id);
  if (!row) throw new AppError('message_not_found', 'No such message in this mailbox.');
  return row;
}

/**
 * A message by its numeric id (the original API's `id`, the Mail API's `uid`) when it is in `folder`:
 * as in IMAP, a uid is looked up within a folder, so one that was moved elsewhere is not found there.
 */
export async function findMessageInFolder(deps: Deps, mailbox: AddressRow, id: number, folder: Folder): Promise<MailRow> {
  const row = await findById(deps.db, mailbox.id, id);
  if (!row || row.folder !== folder) throw new AppError('message_not_found', 'No such message in this folder.');
  return row;
}

export async function updateFlagsAndFolder(deps: Deps, row: MailRow, patch: { flags?: string[]; add_flags?: string[]; remove_flags?: string[]; folder?: string }): Promise<MailRow> {
  const changes: Partial<Pick<MailRow, 'seen' | 'flagged' | 'folder'>> = {};
  // The full list sets every flag; added and removed ones set only themselves, so a concurrent change
  // to another flag is not undone with the value read before it.
  const flagNow = (flag: string): boolean | undefined =>
    patch.flags ? patch.flags.includes(flag) : patch.add_flags?.includes(flag) ? true : patch.remove_flags?.includes(flag) ? false : undefined;
  const seen = flagNow(FLAG_SEEN);
  const flagged = flagNow(FLAG_FLAGGED);
  if (seen !== undefined) changes.seen = seen;
  if (flagged !== undefined) changes.flagged = flagged;
  if (patch.folder !== undefined) changes.folder = parseFolder(patch.folder);
  await updateMessage(deps.db, row, changes);
  // A message we sent to this mailbox gets read_at (services/tracking/replies.ts).
  if (changes.seen && !row.seen) await noteRead(deps, { ...row, ...changes });
  return { ...row, ...changes };
}

/** Outside Trash a delete moves the message there; in Trash it deletes it for good. */
export async function trashOrDelete(deps: Deps, row: MailRow): Promise<'trashed' | 'deleted'> {
  if (row.folder !== 'Trash') {
    await updateMessage(deps.db, row, { folder: 'Trash' });
    return 'trashed';
  }
  await deleteMessages(deps, row.addressId, [row.id]);
  return 'deleted';
}

export interface DraftInput {
  to: MimeMailbox[];
  cc: MimeMailbox[];
  subject: string;
  text?: string;
  html?: string;
}

function draftMime(deps: Deps, mailbox: AddressRow, input: DraftInput): Bytes {
  return buildMessage({
    from: { address: mailbox.address },
    to: input.to,
    cc: input.cc,
    subject: input.subject,
    text: input.text,
    html: input.html,
    date: new Date(deps.clock.now()),
  });
}

export async function createDraft(deps: Deps, mailbox: AddressRow, input: DraftInput): Promise<MailRow> {
  const raw = draftMime(deps, mailbox, input);
  const { mailId } = await ingestMessage(deps, { mailbox, envelopeFrom: mailbox.address, envelopeTo: mailbox.address, raw, folder: 'Drafts' });
  const found = await findMail(deps.db, mailbox.id, mailId);
  if (!found) throw new Error(`draft ${mailId} vanished after insert`);
  const row = found.mail;
  await updateMessage(deps.db, row, { seen: true });
  return { ...row, seen: true };
}

// Drafts stay in the D1 row (no R2 round trip on every save), which bounds their size.
const MAX_DRAFT_BYTES = 512 * 1024;

export async function updateDraft(deps: Deps, mailbox: AddressRow, row: MailRow, input: DraftInput): Promise<MailRow> {
  if (row.folder !== 'Drafts') throw new AppError('invalid_folder', 'Only messages in Drafts can be edited.', 'uid');
  const raw = draftMime(deps, mailbox, input);
  if (raw.byteLength > MAX_DRAFT_BYTES) throw new AppError('payload_too_large', `Drafts are limited to ${MAX_DRAFT_BYTES} bytes.`);
  const parsed = await parseMessage(raw);
  const changes = {
    messageId: parsed.messageId,
    subject: parsed.subject,
    toJson: JSON.stringify(parsed.to),
    ccJson: JSON.stringify(parsed.cc),
    snippet: snippetOf(parsed),
    rawSize: raw.byteLength,
    sentAt: parsed.date,
  };
  await replaceDraftContent(
    deps.db,
    row,
    changes,
    { raw, text: parsed.text, html: parsed.html, headersJson: JSON.stringify(parsed.headers) },
    searchTextOf(parsed, deps.config.searchBodyChars),
    deps.clock.now(),
  );
  await scheduleIndexing(deps, [row.id]);
  return { ...row, ...changes };
}
