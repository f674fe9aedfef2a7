/**
 * Messages in ByteSMTP's shapes. `uid` is the message's numeric id (the one the original API calls
 * `id`); times are RFC 3339 UTC to the second, as in ByteSMTP's examples. Beyond its fields, list and
 * message views carry the verification code and sign-in link found in the message, and the message
 * view its Cc.
 */
import type { FolderSummaryRow } from '../../../db/folders';
import type { MailRow } from '../../../db/schema';
import type { FullMessage } from '../../../services/mailbox';
import type { MailboxAddress } from '../../../services/parse';
import { verificationView } from '../../../services/verification/view';

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The Date header, or when it arrived for a message without a usable one. */
const dateOf = (row: Pick<MailRow, 'sentAt' | 'createdAt'>) => isoSeconds(row.sentAt ?? row.createdAt);

/** The From address, or the envelope sender when the header had none. */
const fromOf = (row: Pick<MailRow, 'fromAddress' | 'source'>) => row.fromAddress ?? row.source;

const addressList = (json: string) => (JSON.parse(json) as MailboxAddress[]).map((m) => m.address).join(', ');

export function inboxItem(row: FolderSummaryRow) {
  return {
    uid: row.id,
    from: fromOf(row),
    subject: row.subject ?? '',
    date: dateOf(row),
    seen: row.seen,
    ...verificationView(row),
  };
}

export function messageView({ mail, text, html, attachments }: FullMessage) {
  return {
    uid: mail.id,
    from: fromOf(mail),
    to: addressList(mail.toJson) || mail.recipient,
    cc: addressList(mail.ccJson),
    subject: mail.subject ?? '',
    date: dateOf(mail),
    body_text: text ?? '',
    body_html: html ?? '',
    attachments: attachments.map((a) => ({ index: a.idx, filename: a.filename ?? '', content_type: a.contentType, size: a.size })),
    ...verificationView(mail),
  };
}
