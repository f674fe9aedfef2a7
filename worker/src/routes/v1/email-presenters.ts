/** JSON shapes of the sending endpoints (snake_case, RFC 3339 UTC). */
import type { EmailRecipientRow, SuppressionRow } from '../../db/schema-sending';
import type { EmailView } from '../../services/sending/read';
import type { AcceptedEmail } from '../../services/sending/types';
import { unifiedStatus } from '../../services/tracking/unified';
import type { V1AcceptedEmail, V1Email, V1Recipient } from '../api-types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const addresses = (json: string) => (JSON.parse(json) as { address: string }[]).map((m) => m.address);

export function acceptedEmail(a: AcceptedEmail): V1AcceptedEmail {
  return {
    id: a.id,
    message_id: a.messageId,
    status: a.status,
    to: a.to.map((m) => m.address).join(', '),
    subject: a.subject,
    scheduled_at: iso(a.scheduledAt),
  };
}

export function recipientResult(r: EmailRecipientRow): V1Recipient {
  return {
    email: r.address,
    name: r.name,
    type: r.type,
    status: r.status,
    via: r.via,
    smtp_code: r.smtpCode,
    dsn_code: r.dsnCode,
    smtp_response: r.smtpResponse,
    updated_at: iso(r.updatedAt)!,
    first_opened_at: iso(r.firstOpenedAt),
    first_clicked_at: iso(r.firstClickedAt),
    open_count: r.openCount,
    click_count: r.clickCount,
  };
}

/** The stored attachment list, each with an id and its fields under both APIs' names (snake_case, and seed 002's camelCase). */
function attachmentsOf(emailId: string, json: string) {
  const list = JSON.parse(json) as { filename: string; content_type: string; size: number }[];
  return list.map((a, i) => ({ id: `att_${emailId.replace(/^em_/, '')}_${i}`, ...a, contentType: a.content_type, sizeBytes: a.size }));
}

export function emailView({ email, recipients, events }: EmailView, fromAddress: string): V1Email {
  return {
    id: email.publicId,
    message_id: email.messageId,
    from: { name: email.fromName, email: fromAddress },
    to: addresses(email.toJson).join(', '),
    cc: addresses(email.ccJson),
    bcc: addresses(email.bccJson),
    subject: email.subject ?? '',
    status: email.status,
    unified_status: unifiedStatus(email, recipients),
    tags: JSON.parse(email.tagsJson) as string[],
    attachments: attachmentsOf(email.publicId, email.attachmentsJson),
    attempts: email.attempts,
    last_error: email.lastError,
    created_at: iso(email.createdAt)!,
    scheduled_at: iso(email.scheduledAt),
    sent_at: iso(email.sentAt),
    delivered_at: iso(email.deliveredAt),
    first_opened_at: iso(email.firstOpenedAt),
    first_clicked_at: iso(email.firstClickedAt),
    first_replied_at: iso(email.firstRepliedAt),
    read_at: iso(email.readAt),
    open_count: email.openCount,
    click_count: email.clickCount,
    track_opens: email.trackOpens,
    track_clicks: email.trackClicks,
    recipients: recipients.map(recipientResult),
    ...(events ? { events: events.map((e) => ({ type: e.type, recipient: e.recipient, detail: e.detail, created_at: iso(e.createdAt)! })) } : {}),
  };
}

export function suppression(row: SuppressionRow) {
  return {
    email: row.address,
    domain: row.domain,
    reason: row.reason,
    smtp_code: row.smtpCode,
    dsn_code: row.dsnCode,
    smtp_response: row.smtpResponse,
    created_at: iso(row.createdAt)!,
  };
}
