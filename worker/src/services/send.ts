/**
 * The original sending doors (/api/send_mail, /external/api/send_mail, /api/send_raw): thin
 * adapters over the sending service's synchronous path. What stays here is only what these doors
 * promise their clients: threading by a stored message id, a raw message's own checks, and an error
 * (refunded) when no recipient got the message.
 */
import { findMail } from '../db/mails';
import type { AddressRow } from '../db/schema';
import { concat, type Bytes } from '../lib/bytes';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';
import { parseMessage } from './parse';
import { assertOriginator } from './raw-message';
import { sendNow, sendRawNow, type SyncResult } from './sending/sync';
import type { DraftAttachment, Mailbox } from './sending/types';

export interface ComposeRequest {
  fromName: string;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: string[];
  replyTo?: Mailbox;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: DraftAttachment[];
  /** Id of a message in this mailbox being replied to. */
  inReplyToId?: number;
}

/** Builds a message from API fields and sends it from the mailbox's own address. */
export async function sendComposed(deps: Deps, mailbox: AddressRow, req: ComposeRequest): Promise<SyncResult> {
  let inReplyTo: string | undefined;
  let references: string | undefined;
  if (req.inReplyToId !== undefined) {
    const original = await findMail(deps.db, mailbox.id, req.inReplyToId);
    if (!original) throw new AppError('message_not_found', 'in_reply_to names no message in this mailbox.', 'in_reply_to');
    inReplyTo = original.mail.messageId ?? undefined;
    references = [original.mail.references, original.mail.messageId].filter(Boolean).join(' ') || undefined;
  }
  const result = await sendNow(deps, mailbox, {
    from: { address: mailbox.address, name: req.fromName || undefined },
    to: req.to,
    cc: req.cc,
    bcc: req.bcc.map((address) => ({ address })),
    replyTo: req.replyTo,
    subject: req.subject,
    // An empty text part is what mail clients send for an empty body.
    text: req.text === undefined && req.html === undefined ? '' : req.text,
    html: req.html,
    headers: req.headers,
    attachments: req.attachments,
    tags: [],
    inReplyTo,
    references,
  });
  return deliveredOrThrow(result);
}

/**
 * Sends a complete message as given (SMTP proxy, power users). Every originator header must name
 * the mailbox's address alone (services/raw-message.ts); a missing Message-ID or Date is added, as a
 * submission server does (RFC 6409). Recipients never see a Bcc header it carries.
 */
export async function sendRawMessage(deps: Deps, mailbox: AddressRow, raw: Bytes, recipients: string[]): Promise<SyncResult> {
  assertOriginator(raw, mailbox.address);
  const parsed = await parseMessage(raw);
  if (parsed.parseError) throw new AppError('invalid_mime', `The message could not be parsed: ${parsed.parseError}`);
  // The header check above is the rule; the parser agreeing with it is a second opinion.
  if (parsed.from?.address.toLowerCase() !== mailbox.address) {
    throw new AppError('sender_not_allowed', `The From header must be ${mailbox.address}.`, 'from');
  }
  const added: string[] = [];
  if (!parsed.messageId) added.push(`Message-ID: <${randomToken(24)}@${mailbox.address.split('@')[1]}>`);
  if (!parsed.headers.some((h) => h.key === 'date')) added.push(`Date: ${new Date(deps.clock.now()).toUTCString().replace('GMT', '+0000')}`);
  const complete = added.length ? concat([new TextEncoder().encode(`${added.join('\r\n')}\r\n`), raw]) : raw;
  const result = await sendRawNow(deps, mailbox, complete, recipients, added.length ? await parseMessage(complete) : parsed);
  return deliveredOrThrow(result);
}

/** These doors answer an error when nobody got the message (the balance was refunded by dispatch). */
function deliveredOrThrow(result: SyncResult): SyncResult {
  if (result.status === 'failed' || result.status === 'bounced') {
    const reasons = [...new Set(result.recipients.map((r) => r.smtpResponse ?? r.status))].join('; ');
    throw new AppError('delivery_failed', `No recipient accepted the message (sent record ${result.rowId}): ${reasons}`);
  }
  return result;
}
