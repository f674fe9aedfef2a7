/** JSON shapes of mail and addresses as the API returns them (snake_case, ISO 8601 UTC times). */
import type { AttachmentMeta, CompatMailRow, MailSummaryRow } from '../db/mails';
import type { AddressRow, MailRow } from '../db/schema';
import type { EmailRecipientRow, EmailStatus } from '../db/schema-sending';
import type { SentEntry } from '../services/sentbox';
import type { AddressInfo, AttachmentInfo, CompatMail, FullMail, MailboxAddress, MailSummary, RecipientState, SentMail, SentStatus, SentSummary } from './api-types';
import type { FullMessage } from '../services/mailbox';
import { verificationView } from '../services/verification/view';

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
    uid: row.publicId,
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
    ...verificationView(row),
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

/** Headers for bytes a browser must only download: never sniffed as a page, never run as one. */
export const DOWNLOAD_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'" };

/** `attachment; filename="..."` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(filename: string | null, fallback: string): string {
  const name = (filename ?? '').replace(/[\r\n]/g, ' ').trim() || fallback;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  // filename= goes last: clients that take everything after the last "filename=" (the Mail API guide's
  // own example does) then get just the name; RFC 6266 readers prefer filename* wherever it stands.
  return `attachment; filename*=UTF-8''${encoded}; filename="${ascii}"`;
}

/** A declared content type only if it is a well-formed `type/subtype`; anything else is opaque bytes. */
export function safeContentType(type: string): string {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(type) ? type.toLowerCase() : 'application/octet-stream';
}

const LEGACY_STATUS: Record<EmailStatus, SentStatus> = {
  delivered: 'sent',
  sent: 'sent',
  partially_failed: 'partial',
  bounced: 'failed',
  failed: 'failed',
  scheduled: 'scheduled',
  queued: 'queued',
  sending: 'sending',
  cancelled: 'cancelled',
};

/** A recipient as the original API reports it: sent, failed (with the reason) or still pending. */
export function recipientState(r: EmailRecipientRow): RecipientState {
  const status = r.status === 'sent' || r.status === 'delivered' ? 'sent' : r.status === 'queued' || r.status === 'deferred' ? 'pending' : 'failed';
  return {
    address: r.address,
    status,
    ...(r.via ? { via: r.via as NonNullable<RecipientState['via']> } : {}),
    ...(status !== 'sent' && r.smtpResponse ? { error: r.smtpResponse } : {}),
    ...(r.providerId ? { provider_id: r.providerId } : {}),
  };
}

export function sentSummary({ email, recipients }: SentEntry): SentSummary {
  return {
    id: email.id,
    message_id: email.messageId,
    subject: email.subject,
    to: addresses(email.toJson),
    cc: addresses(email.ccJson),
    status: LEGACY_STATUS[email.status],
    recipients: recipients.map(recipientState),
    size: email.rawSize,
    created_at: iso(email.createdAt),
  };
}

export function sentMail(entry: SentEntry & { raw: Uint8Array }): SentMail {
  return { ...sentSummary(entry), raw: utf8.decode(entry.raw) };
}
