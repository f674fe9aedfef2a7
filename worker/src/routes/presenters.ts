/** JSON shapes of mail and addresses as the API returns them (snake_case, ISO 8601 UTC times). */
import type { AttachmentMeta, CompatMailRow, MailSummaryRow } from '../db/mails';
import type { SentSummaryRow } from '../db/sent';
import type { AddressRow, MailRow, SentMailRow } from '../db/schema';
import type { AddressInfo, AttachmentInfo, CompatMail, FullMail, MailboxAddress, MailSummary, RecipientState, SentMail, SentSummary } from './api-types';
import type { FullMessage } from '../services/mailbox';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const addresses = (json: string) => JSON.parse(json) as MailboxAddress[];

// Raw sources are shown as text; bytes that are not UTF-8 become U+FFFD here (the /raw download is exact).
const utf8 = new TextDecoder('utf-8');

/** The row shape existing clients of this API family read (`raw` is the MIME source). */
export function compatMail(row: CompatMailRow & { raw: Uint8Array }): CompatMail {
  return {
    id: row.id,
    message_id: row.messageId,
    source: row.source,
    address: row.recipient,
    subject: row.subject,
    raw: utf8.decode(row.raw),
    created_at: iso(row.createdAt),
  };
}

export function mailSummary(row: MailSummaryRow): MailSummary {
  return {
    id: row.id,
    message_id: row.messageId,
    source: row.source,
    address: row.recipient,
    from: row.fromAddress ? { name: row.fromName ?? '', address: row.fromAddress } : null,
    to: addresses(row.toJson),
    subject: row.subject,
    date: iso(row.sentAt),
    snippet: row.snippet,
    has_attachments: row.hasAttachments,
    size: row.rawSize,
    seen: row.seen,
    created_at: iso(row.createdAt),
  };
}

export function attachmentMeta(a: AttachmentMeta): AttachmentInfo {
  return {
    index: a.idx,
    filename: a.filename,
    content_type: a.contentType,
    size: a.size,
    content_id: a.contentId,
    disposition: a.disposition,
  };
}

export function fullMail(message: FullMessage): FullMail {
  const m: MailRow = message.mail;
  return {
    ...mailSummary(m),
    cc: addresses(m.ccJson),
    reply_to: addresses(m.replyToJson),
    in_reply_to: m.inReplyTo,
    references: m.references,
    headers: message.headers,
    text: message.text,
    html: message.html,
    attachments: message.attachments.map(attachmentMeta),
    parse_error: m.parseError,
  };
}

export function addressInfo(row: AddressRow): AddressInfo {
  return {
    address: row.address,
    address_id: row.id,
    created_at: iso(row.createdAt),
    last_active_at: iso(row.lastActiveAt),
    mail_count: row.mailCount,
    sent_count: row.sentCount,
    send_balance: row.sendBalance,
  };
}

/** `attachment; filename="..."` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(filename: string | null, fallback: string): string {
  const name = (filename ?? '').replace(/[\r\n]/g, ' ').trim() || fallback;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A declared content type only if it is a well-formed `type/subtype`; anything else is opaque bytes. */
export function safeContentType(type: string): string {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(type) ? type.toLowerCase() : 'application/octet-stream';
}

export function sentSummary(row: SentSummaryRow): SentSummary {
  return {
    id: row.id,
    message_id: row.messageId,
    subject: row.subject,
    to: addresses(row.toJson),
    cc: addresses(row.ccJson),
    status: row.status,
    recipients: JSON.parse(row.recipientsJson) as RecipientState[],
    size: row.rawSize,
    created_at: iso(row.createdAt),
  };
}

export function sentMail(row: SentMailRow, raw: Uint8Array): SentMail {
  return { ...sentSummary(row), raw: utf8.decode(raw) };
}
