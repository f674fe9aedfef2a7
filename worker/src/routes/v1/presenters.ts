/** Rows → v1 JSON: snake_case, RFC 3339 UTC, public ids only. */
import type { FolderSummaryRow } from '../../db/folders';
import type { AttachmentMeta } from '../../db/mails';
import type { ApiKeyRow, MailRow } from '../../db/schema';
import type { MailboxAddress } from '../../services/parse';
import { attachmentMeta } from '../presenters';
import { FLAG_FLAGGED, FLAG_SEEN } from '../../services/folders';
import { verificationView } from '../../services/verification/view';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const people = (json: string) => (JSON.parse(json) as MailboxAddress[]).map((m) => ({ name: m.name, email: m.address }));

/** A list row; a full `MailRow` has every column it needs too. */
export function messageSummary(row: FolderSummaryRow) {
  return {
    uid: row.publicId ?? '',
    message_id: row.messageId,
    folder: row.folder,
    from: row.fromAddress ? { name: row.fromName ?? '', email: row.fromAddress } : null,
    to: people(row.toJson),
    subject: row.subject,
    date: iso(row.sentAt ?? row.createdAt),
    size: row.rawSize,
    flags: [...(row.seen ? [FLAG_SEEN] : []), ...(row.flagged ? [FLAG_FLAGGED] : [])] as ('\\Seen' | '\\Flagged')[],
    has_attachments: row.hasAttachments,
    snippet: row.snippet,
    ...verificationView(row),
  };
}

export function fullMessage(
  row: MailRow,
  detail: { text: string | null; html: string | null; headers: { key: string; value: string }[]; attachments: AttachmentMeta[] },
) {
  return {
    ...messageSummary(row),
    cc: people(row.ccJson),
    reply_to: people(row.replyToJson),
    in_reply_to: row.inReplyTo,
    references: row.references,
    headers: detail.headers.map((h) => ({ name: h.key, value: h.value })),
    body: { text: detail.text, html: detail.html },
    attachments: detail.attachments.map(attachmentMeta),
    received_at: new Date(row.createdAt).toISOString(),
  };
}

export function apiKey(row: ApiKeyRow, mailbox: string | null, now: number) {
  return {
    id: row.publicId,
    prefix: row.prefix,
    type: row.type,
    mailbox,
    name: row.name,
    active: row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now),
    created_at: new Date(row.createdAt).toISOString(),
    last_used_at: iso(row.lastUsedAt),
    expires_at: iso(row.expiresAt),
  };
}
