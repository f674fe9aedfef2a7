/**
 * Our records in the Mail API's shapes: flat objects, times as `YYYY-MM-DDTHH:MM:SSZ`, integer uids,
 * its status words, and `Spam` where we say `Junk`.
 */
import type { AttachmentMeta } from '../../../db/mails';
import type { FolderSummaryRow } from '../../../db/folders';
import type { MailRow } from '../../../db/schema';
import type { EmailRecipientRow, EmailStatus, RecipientStatus } from '../../../db/schema-sending';
import type { DomainRow } from '../../../db/schema-accounts';
import { AppError } from '../../../lib/errors';
import type { TokenInfo } from '../../../services/accounts/token-info';
import { FLAG_FLAGGED, FLAG_SEEN, FOLDERS, type Folder } from '../../../services/folders';
import type { MailboxAddress } from '../../../services/parse';
import type { AcceptedEmail, EmailView } from '../../../services/sending';

/** RFC 3339 in whole seconds, as the guide writes times. */
export const isoSeconds = (ms: number | null): string | null => (ms === null ? null : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));

export const folderToMailApi = (folder: Folder): string => (folder === 'Junk' ? 'Spam' : folder);

// The guide's names (Spam for our Junk), any case; our own `Junk` is understood too.
const FOLDER_NAMES = new Map<string, Folder>([...FOLDERS.map((f) => [folderToMailApi(f).toLowerCase(), f] as const), ['junk', 'Junk']]);

export function folderFromMailApi(name: string): Folder {
  const folder = FOLDER_NAMES.get(name.trim().toLowerCase());
  if (!folder) throw new AppError('invalid_folder', `No folder ${JSON.stringify(name)}: use INBOX, Sent, Drafts, Trash or Spam.`, 'folder');
  return folder;
}

/** The guide's message statuses: pending, submitted, sent, partial, bounced, failed. */
const STATUS: Record<EmailStatus, string> = {
  scheduled: 'pending',
  queued: 'submitted',
  sending: 'submitted',
  sent: 'sent',
  delivered: 'sent',
  partially_failed: 'partial',
  bounced: 'bounced',
  failed: 'failed',
  // Cancelled before dispatch (through /api/v1): nothing was sent.
  cancelled: 'failed',
};

const RECIPIENT_STATUS: Record<RecipientStatus, string> = {
  queued: 'pending',
  deferred: 'deferred',
  sent: 'sent',
  delivered: 'sent',
  bounced: 'bounced',
  failed: 'failed',
  suppressed: 'failed',
  cancelled: 'failed',
};

/** When the message went to the delivery queue: at acceptance, or when its schedule came due. */
function submittedAt(email: EmailView['email']): string | null {
  if (email.status === 'scheduled' || email.status === 'cancelled') return null;
  return isoSeconds(email.scheduledAt ?? email.createdAt);
}

/** The random part of our Message-ID (`<queue_id@domain>`): it names the message in every copy and in receivers' logs. */
export const queueIdOf = (messageId: string): string => messageId.replace(/^<|>$/g, '').split('@')[0]!;

export function sendAccepted(a: AcceptedEmail) {
  return { success: true as const, message_id: a.id, status: STATUS[a.status], queue_id: queueIdOf(a.messageId), recipient_count: a.recipientCount };
}

/** `delivered_at` once a recipient has it; `smtp_response` when it did not (bounced, failed, deferred). */
function recipient(r: EmailRecipientRow) {
  const status = RECIPIENT_STATUS[r.status];
  return {
    email: r.address,
    type: r.type,
    status,
    dsn_code: r.dsnCode,
    ...(status === 'sent' ? { delivered_at: isoSeconds(r.updatedAt) } : {}),
    ...(status !== 'sent' && r.smtpResponse ? { smtp_response: r.smtpResponse } : {}),
  };
}

export function messageStatus(view: EmailView) {
  return {
    success: true as const,
    message_id: view.email.publicId,
    status: STATUS[view.email.status],
    created_at: isoSeconds(view.email.createdAt),
    submitted_at: submittedAt(view.email),
    recipients: view.recipients.map(recipient),
  };
}

export function sentMessage(view: EmailView, from: string) {
  return {
    message_id: view.email.publicId,
    from,
    to: (JSON.parse(view.email.toJson) as { address: string }[]).map((m) => m.address),
    subject: view.email.subject ?? '',
    status: STATUS[view.email.status],
    created_at: isoSeconds(view.email.createdAt),
    submitted_at: submittedAt(view.email),
  };
}

const person = (m: MailboxAddress) => ({ name: m.name, email: m.address });
const people = (json: string) => (JSON.parse(json) as MailboxAddress[]).map(person);
const flags = (row: Pick<MailRow, 'seen' | 'flagged'>) => [...(row.seen ? [FLAG_SEEN] : []), ...(row.flagged ? [FLAG_FLAGGED] : [])];
const from = (row: Pick<MailRow, 'fromAddress' | 'fromName'>) => (row.fromAddress ? { name: row.fromName ?? '', email: row.fromAddress } : null);
const date = (row: Pick<MailRow, 'sentAt' | 'createdAt'>) => isoSeconds(row.sentAt ?? row.createdAt);

export function messageSummary(row: FolderSummaryRow) {
  return {
    uid: row.id,
    message_id: row.messageId,
    from: from(row),
    to: people(row.toJson),
    subject: row.subject ?? '',
    date: date(row),
    size: row.rawSize,
    flags: flags(row),
    has_attachments: row.hasAttachments,
  };
}

// Header names keep their usual spelling; we store them lowercase.
const SPECIAL_CASE: Record<string, string> = { id: 'ID', mime: 'MIME', dkim: 'DKIM', arc: 'ARC', spf: 'SPF', dmarc: 'DMARC' };
const headerName = (key: string) => key.split('-').map((part) => SPECIAL_CASE[part] ?? part.charAt(0).toUpperCase() + part.slice(1)).join('-');

/** Headers as one object; a name that repeats (Received) keeps its first, topmost value. */
function headerObject(headers: { key: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    const name = headerName(h.key.toLowerCase());
    if (!(name in out)) out[name] = h.value;
  }
  return out;
}

export function attachmentInfo(a: AttachmentMeta) {
  return { index: a.idx, filename: a.filename ?? `attachment-${a.idx}`, content_type: a.contentType, size: a.size, content_id: a.contentId };
}

export function fullMessage(detail: { mail: MailRow; text: string | null; html: string | null; headers: { key: string; value: string }[]; attachments: AttachmentMeta[] }) {
  const row = detail.mail;
  return {
    success: true as const,
    uid: row.id,
    message_id: row.messageId,
    from: from(row),
    to: people(row.toJson),
    cc: people(row.ccJson),
    subject: row.subject ?? '',
    date: date(row),
    headers: headerObject(detail.headers),
    body: { text: detail.text, html: detail.html },
    attachments: detail.attachments.map(attachmentInfo),
    flags: flags(row),
  };
}

/** The index's match markers dropped and its ellipsis written as the guide does ("...the meeting agenda..."). */
const plainSnippet = (snippet: string) => snippet.replace(/[«»]/g, '').replace(/…/g, '...').replace(/\s+/g, ' ').trim();

export function searchHit(hit: { mail: MailRow; snippet: string }) {
  return { uid: hit.mail.id, folder: folderToMailApi(hit.mail.folder), from: from(hit.mail), subject: hit.mail.subject ?? '', date: date(hit.mail), snippet: plainSnippet(hit.snippet) };
}

export function tokenInfo(info: TokenInfo, token: string) {
  return {
    id: info.id,
    token_prefix: token.slice(0, 12),
    token_type: info.type,
    email: info.email,
    name: info.name,
    // A token that reached this handler is live: expired and revoked ones were refused with 401.
    is_active: true,
    created_at: isoSeconds(info.createdAt),
    last_used_at: isoSeconds(info.lastUsedAt),
    expires_at: isoSeconds(info.expiresAt),
  };
}

export function pendingDomain(row: DomainRow & { creatorEmail: string | null }) {
  return { domain: row.name, active: row.status === 'active', created: isoSeconds(row.createdAt), creator_email: row.creatorEmail };
}
