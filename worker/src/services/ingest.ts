/**
 * The one path every received message takes (Email Routing, admin import, internal delivery, drafts):
 * parse, store losslessly, never twice. Blobs go to R2 before the D1 transaction, so a row never
 * points at a missing object; any failure throws, and the caller (the sending MTA) retries. A retry
 * of the same delivery is stored once; a different message is always stored, whatever its Message-ID
 * (see delivery-identity.ts). Search indexing happens after, off the delivery path (search-index.ts).
 */
import { logDeliveries, type DeliveryEntry } from '../db/delivery-log';
import { findMailIdByDedupeKey, insertMailRecord, insertMailRecords } from '../db/mail-store';
import type { MailRecord } from '../db/mails';
import type { AddressRow } from '../db/schema';
import type { WebhookRow } from '../db/schema-webhooks';
import { enabledWebhooksRead } from '../db/webhooks';
import { sha256Hex, type Bytes } from '../lib/bytes';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import { mailBlobPrefix, putBlob } from './blobs';
import { deliveryIdentity } from './delivery-identity';
import { forgetMailbox } from './mailbox-cache';
import type { Deps } from './deps';
import { parseMessage, plainTextOf, snippetOfText, type ParsedMessage } from './parse';
import { onCopiesReceived, onMailReceived } from './inbound-events';
import { scheduleIndexing } from './search-index';
import { extractVerification, NO_VERIFICATION } from './verification';

export interface IncomingMessage {
  mailbox: AddressRow;
  /** Envelope sender (MAIL FROM). */
  envelopeFrom: string;
  /** Envelope recipient (RCPT TO). */
  envelopeTo: string;
  raw: Bytes;
  /** Where the message lands; received mail goes to INBOX, the sender's own copy to Sent. */
  folder?: 'INBOX' | 'Sent' | 'Drafts' | 'Junk';
  /** The same bytes already parsed (sending delivers one message to several mailboxes). */
  parsed?: ParsedMessage;
  /** A delivery-log entry to record in the same transaction, only if the message is stored. */
  log?: DeliveryEntry;
}

/** UTF-8 needs at most 3 bytes per UTF-16 unit, so this stays under ~768 KB in the row. */
const MAX_INLINE_BODY_CHARS = 256 * 1024;

export type IngestResult = { status: 'stored' | 'duplicate'; mailId: number };

/**
 * With BODIES_IN_R2, a message's raw source and attachments all go to R2 and D1 keeps no copy of its
 * bodies. Drafts are the exception: they stay in their D1 row, which every save rewrites.
 */
const bodiesLiveInR2 = (deps: Deps, folder: string) => deps.config.bodiesInR2 && folder !== 'Drafts';

/** Above how many bytes a raw source or attachment goes to R2. */
const blobThreshold = (deps: Deps, folder: string) => (bodiesLiveInR2(deps, folder) ? 0 : deps.config.blobThresholdBytes);

export async function ingestMessage(deps: Deps, incoming: IncomingMessage): Promise<IngestResult> {
  const { mailbox, raw } = incoming;
  if (raw.byteLength > deps.config.maxMessageBytes) {
    throw new AppError('payload_too_large', `Message exceeds the ${deps.config.maxMessageBytes}-byte limit.`);
  }
  const parsed = incoming.parsed ?? (await parseMessage(raw));
  // A copy in another folder (your own message in Sent and, sent to yourself, in INBOX) is a
  // different entry from the same bytes delivered.
  const identity = await deliveryIdentity(raw);
  const folder = incoming.folder ?? 'INBOX';
  const dedupeKey = folder === 'INBOX' ? identity : `${folder}:${identity}`;
  const threshold = blobThreshold(deps, folder);
  const usesBlobs = raw.byteLength > threshold || parsed.attachments.some((a) => a.content.byteLength > threshold);
  // Before uploading megabytes, ask whether this delivery is already stored. Small messages skip the
  // question: the unique dedupe index answers it inside the insert itself.
  if (usesBlobs) {
    const existing = await findMailIdByDedupeKey(deps.db, mailbox.id, dedupeKey);
    if (existing !== null) return { status: 'duplicate', mailId: existing };
  }

  const record = await buildRecord(deps, incoming, parsed, dedupeKey, folder, threshold, usesBlobs);
  // Received mail raises email.received: the webhook endpoints are read in the delivery's own batch.
  const received = folder === 'INBOX' || folder === 'Junk';
  let mailId: number;
  let endpoints: WebhookRow[] | undefined;
  try {
    ({ id: mailId, read: endpoints } = await insertMailRecord(deps.db, record, incoming.log, received ? enabledWebhooksRead(deps.db) : undefined));
  } catch (err) {
    // The same delivery stored before (or concurrently) holds the unique index: that is success.
    const winner = await findMailIdByDedupeKey(deps.db, mailbox.id, dedupeKey);
    if (winner !== null) return { status: 'duplicate', mailId: winner };
    // The mailbox may have been deleted since it was cached: the sender's retry resolves it afresh.
    forgetMailbox(deps.db, mailbox.address);
    throw err;
  }
  await scheduleIndexing(deps, [mailId]);
  // Replies to what we sent, and the email.received webhook (services/inbound-events.ts).
  if (received) await onMailReceived(deps, mailbox, record.mail, parsed, endpoints);
  return { status: 'stored', mailId };
}

/** One message for several of our mailboxes, delivered to each as `envelopeTo` its own address. */
export interface IncomingCopies {
  mailboxes: AddressRow[];
  envelopeFrom: string;
  raw: Bytes;
  parsed: ParsedMessage;
}

/**
 * Stores one message in several inboxes (a send to our own addresses) in one D1 batch, where
 * ingestMessage would spend a round trip per mailbox: a send to 50 of them would otherwise pass the
 * 50 queries a Workers Free invocation may make. Answers the new mail ids in the order of
 * `mailboxes`, or null when it cannot, and nothing is stored then: a message too large, or whose
 * bytes go to R2 (each copy's objects are its own), or a batch that fails because a copy is already
 * stored (a retried send) or a mailbox was deleted meanwhile. The caller then ingests copy by copy,
 * which sorts each of those out.
 */
export async function ingestCopies(deps: Deps, incoming: IncomingCopies): Promise<number[] | null> {
  const { mailboxes, raw, parsed } = incoming;
  if (raw.byteLength > deps.config.maxMessageBytes) return null;
  const threshold = blobThreshold(deps, 'INBOX');
  if (raw.byteLength > threshold || parsed.attachments.some((a) => a.content.byteLength > threshold)) return null;
  const dedupeKey = await deliveryIdentity(raw);
  // The copies differ only in whose they are: parsing, preview and verification extraction run once.
  const [first, ...others] = mailboxes;
  if (!first) return [];
  const shared = await buildRecord(deps, { ...incoming, mailbox: first, envelopeTo: first.address }, parsed, dedupeKey, 'INBOX', threshold, false);
  const records = [shared, ...others.map((mailbox) => ({ ...shared, mail: { ...shared.mail, addressId: mailbox.id, recipient: mailbox.address, publicId: newPublicId() } }))];
  let ids: number[];
  let endpoints: WebhookRow[] | undefined;
  try {
    ({ ids, read: endpoints } = await insertMailRecords(deps.db, records, enabledWebhooksRead(deps.db)));
  } catch {
    return null;
  }
  await scheduleIndexing(deps, ids);
  await onCopiesReceived(deps, mailboxes.map((mailbox, i) => ({ mailbox, record: records[i]!.mail })), parsed, endpoints);
  return ids;
}

const newPublicId = () => `msg_${randomToken(20)}`;

async function buildRecord(
  deps: Deps,
  incoming: IncomingMessage,
  parsed: ParsedMessage,
  dedupeKey: string,
  folder: MailRecord['mail']['folder'],
  threshold: number,
  usesBlobs: boolean,
): Promise<MailRecord> {
  const { mailbox, raw } = incoming;
  // Keys derive from the dedupe key, so a retried delivery overwrites rather than orphans objects.
  const prefix = usesBlobs ? mailBlobPrefix(mailbox.id, (await sha256Hex(dedupeKey)).slice(0, 32)) : '';
  const uploads: Promise<void>[] = [];

  let rawKey: string | null = null;
  if (raw.byteLength > threshold) {
    rawKey = `${prefix}raw.eml`;
    uploads.push(putBlob(deps.blobs, rawKey, raw, 'message/rfc822'));
  }
  const attachments = parsed.attachments.map((a, idx) => {
    const large = a.content.byteLength > threshold;
    const blobKey = large ? `${prefix}att-${idx}` : null;
    if (blobKey) uploads.push(putBlob(deps.blobs, blobKey, a.content, a.contentType));
    return {
      idx,
      filename: a.filename,
      contentType: a.contentType,
      disposition: a.disposition,
      contentId: a.contentId,
      size: a.content.byteLength,
      content: large ? null : a.content,
      blobKey,
    };
  });
  await Promise.all(uploads);
  // Readers re-parse the raw message instead of reading stored bodies (and headers) when it is in the
  // same D1 row anyway (below BLOB_THRESHOLD_BYTES: a parse costs about a millisecond at most, and the
  // row holds the message once, not twice); when BODIES_IN_R2 keeps bodies out of D1; and when the
  // bodies would overflow a D1 row (2 MB). A large raw message in R2 keeps its bodies in the row, so
  // opening it needs no R2 read and no parse of its attachments.
  const bodiesInRaw =
    rawKey === null ||
    bodiesLiveInR2(deps, folder) ||
    (parsed.text?.length ?? 0) + (parsed.html?.length ?? 0) > MAX_INLINE_BODY_CHARS;
  // An HTML-only message is turned into text once, for both the preview and the search index, and
  // only as far as they read.
  const plain = plainTextOf(parsed, plainTextNeeded(deps));
  // Codes and sign-in links matter in received mail; your own Sent copies and drafts are skipped.
  const verification = folder === 'INBOX' || folder === 'Junk' ? extractVerification(parsed) : NO_VERIFICATION;

  return {
    search: searchTextOf(parsed, deps.config.searchBodyChars, plain),
    mail: {
      addressId: mailbox.id,
      publicId: newPublicId(),
      folder,
      // Your own messages are read already (IMAP marks a Sent copy \Seen): only received mail is new.
      seen: folder === 'Sent' || folder === 'Drafts',
      dedupeKey,
      messageId: parsed.messageId,
      source: incoming.envelopeFrom,
      recipient: mailbox.address,
      fromName: parsed.from?.name || null,
      fromAddress: parsed.from?.address || null,
      toJson: JSON.stringify(parsed.to),
      ccJson: JSON.stringify(parsed.cc),
      replyToJson: JSON.stringify(parsed.replyTo),
      subject: parsed.subject,
      sentAt: parsed.date,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      snippet: snippetOfText(plain),
      hasAttachments: attachments.length > 0,
      rawSize: raw.byteLength,
      parseError: parsed.parseError,
      verificationCode: verification.code,
      verificationLink: verification.link,
      verificationConfidence: verification.confidence,
      createdAt: deps.clock.now(),
    },
    contents: {
      raw: rawKey ? null : raw,
      rawKey,
      text: bodiesInRaw ? null : parsed.text,
      html: bodiesInRaw ? null : parsed.html,
      bodiesInRaw,
      headersJson: bodiesInRaw ? '[]' : JSON.stringify(parsed.headers),
    },
    attachments,
  };
}

/** Records a refused delivery (unknown mailbox, too large) for the delivery stats. */
export async function logRejectedDelivery(deps: Deps, from: string, to: string): Promise<void> {
  await logDeliveries(deps.db, [{ direction: 'inbound', status: 'rejected', sender: from, recipient: to }], deps.clock.now());
}

/** How much of a body's text the preview (up to 3,200 characters) and the search index read. */
const plainTextNeeded = (deps: Deps) => Math.max(deps.config.searchBodyChars, 4096);

/** What the search index holds: sender, recipients, subject and the readable body. */
export function searchTextOf(parsed: ParsedMessage, bodyChars: number, plain = plainTextOf(parsed, bodyChars)): MailRecord['search'] {
  const people = (list: { name: string; address: string }[]) => list.map((m) => `${m.name} ${m.address}`.trim()).join(' ');
  return {
    subject: parsed.subject ?? '',
    sender: parsed.from ? people([parsed.from]) : '',
    recipients: people([...parsed.to, ...parsed.cc]),
    // Capped (SEARCH_BODY_CHARS): the index is for finding a message, not storing it.
    body: plain.slice(0, bodyChars),
  };
}
