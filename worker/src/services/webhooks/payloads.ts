/**
 * The `data` of each event, in one place so every event of a kind has the same fields. Payloads
 * describe messages; they never carry a body beyond the received mail's snippet.
 */
import type { MailRow } from '../../db/schema';
import type { EmailRecipientRow, EmailRow } from '../../db/schema-sending';
import type { ParsedMessage } from '../parse';
import { verificationView } from '../verification/view';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const addresses = (json: string) => (JSON.parse(json) as { address: string }[]).map((m) => m.address);

export type EmailFacts = Pick<EmailRow, 'publicId' | 'messageId' | 'createdAt'> & Partial<Pick<EmailRow, 'subject' | 'toJson' | 'ccJson' | 'tagsJson'>>;

/** What every email.* event says about the message (Bcc recipients are never listed). */
export function emailData(email: EmailFacts, from: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email_id: email.publicId,
    message_id: email.messageId,
    from,
    to: addresses(email.toJson ?? '[]'),
    cc: addresses(email.ccJson ?? '[]'),
    subject: email.subject ?? '',
    tags: JSON.parse(email.tagsJson ?? '[]') as string[],
    created_at: iso(email.createdAt),
    ...extra,
  };
}

/** One recipient's outcome, for email.sent / delivered / delivery_delayed / bounced / failed / suppressed. */
export function recipientData(r: Pick<EmailRecipientRow, 'address' | 'status' | 'smtpCode' | 'dsnCode' | 'smtpResponse'>) {
  return { recipient: r.address, status: r.status, smtp_code: r.smtpCode, dsn_code: r.dsnCode, smtp_response: r.smtpResponse };
}

/** email.received: who, what, the snippet, attachment names and sizes, the codes found, and where to read it. */
export function receivedData(
  mail: Pick<MailRow, 'publicId' | 'messageId' | 'subject' | 'snippet' | 'createdAt' | 'folder' | 'verificationCode' | 'verificationLink' | 'verificationConfidence'>,
  mailbox: string,
  parsed: Pick<ParsedMessage, 'from' | 'to' | 'cc' | 'attachments'>,
  baseUrl: string,
): Record<string, unknown> {
  const uid = mail.publicId ?? '';
  return {
    address: mailbox,
    uid,
    message_id: mail.messageId,
    folder: mail.folder,
    from: parsed.from ? { name: parsed.from.name, email: parsed.from.address } : null,
    to: parsed.to.map((m) => m.address),
    cc: parsed.cc.map((m) => m.address),
    subject: mail.subject ?? '',
    snippet: mail.snippet,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, size: a.content.byteLength })),
    ...verificationView(mail),
    received_at: iso(mail.createdAt),
    url: `${baseUrl}/api/v1/mailboxes/${encodeURIComponent(mailbox)}/messages/${uid}`,
  };
}
