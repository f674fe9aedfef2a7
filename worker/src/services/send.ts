/**
 * Sending: quota and rate limit, then delivery — internal for our own DOMAINS, the configured
 * provider for the rest — and a Sent record with each recipient's outcome. Nothing is silently lost:
 * a message that reached no one is recorded as failed, refunded, and reported as an error.
 */
import { findMail } from '../db/mails';
import type { AddressRow } from '../db/schema';
import { logDeliveries } from '../db/delivery-log';
import { chargeSendBalance, insertSentMail, refundSendBalance, sentSince } from '../db/sent';
import { concat, type Bytes } from '../lib/bytes';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import { resolveMailbox } from './addresses';
import { signMessage } from './dkim';
import { activeDomainNames, domainOf, isActiveDomain } from './domains/registry';
import { putBlob, sentBlobPrefix } from './blobs';
import type { Deps } from './deps';
import { ingestMessage } from './ingest';
import { buildMessage, newMessageId, type MimeAttachment, type MimeMailbox } from './mime';
import { parseMessage, type ParsedMessage } from './parse';
import { assertOriginator, recipientCopy } from './raw-message';
import type { RecipientOutcome } from './providers/types';

export interface ComposeRequest {
  fromName: string;
  to: MimeMailbox[];
  cc: MimeMailbox[];
  bcc: string[];
  replyTo?: MimeMailbox;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: MimeAttachment[];
  /** Id of a message in this mailbox being replied to. */
  inReplyToId?: number;
}

export interface SendResult {
  id: number;
  messageId: string;
  status: 'sent' | 'partial';
  recipients: RecipientOutcome[];
}

const RATE_WINDOW_MS = 60_000;

/** Builds a message from API fields and sends it from the mailbox's own address. */
export async function sendComposed(deps: Deps, mailbox: AddressRow, req: ComposeRequest): Promise<SendResult> {
  const messageId = newMessageId(mailbox.address);
  let inReplyTo: string | undefined;
  let references: string | undefined;
  if (req.inReplyToId !== undefined) {
    const original = await findMail(deps.db, mailbox.id, req.inReplyToId);
    if (!original) throw new AppError('message_not_found', 'in_reply_to names no message in this mailbox.', 'in_reply_to');
    inReplyTo = original.mail.messageId ?? undefined;
    references = [original.mail.references, original.mail.messageId].filter(Boolean).join(' ') || undefined;
  }
  const raw = buildMessage({
    from: { name: req.fromName, address: mailbox.address },
    to: req.to,
    cc: req.cc,
    replyTo: req.replyTo,
    subject: req.subject,
    text: req.text,
    html: req.html,
    messageId,
    date: new Date(deps.clock.now()),
    inReplyTo,
    references,
    headers: req.headers,
    attachments: req.attachments,
  });
  const recipients = [...req.to.map((m) => m.address), ...req.cc.map((m) => m.address), ...req.bcc];
  return dispatch(deps, mailbox, raw, recipients);
}

/**
 * Sends a complete message as given (SMTP proxy, power users). Every originator header must name
 * the mailbox's address alone; a missing Message-ID or Date is added, as a submission server does
 * (RFC 6409).
 */
export async function sendRawMessage(deps: Deps, mailbox: AddressRow, raw: Bytes, recipients: string[]): Promise<SendResult> {
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
  return dispatch(deps, mailbox, complete, recipients, added.length ? undefined : parsed);
}

async function dispatch(deps: Deps, mailbox: AddressRow, unsigned: Bytes, envelope: string[], parsedAlready?: ParsedMessage): Promise<SendResult> {
  // Whatever the door: a domain awaiting approval (or no longer ours) sends nothing.
  if (!(await isActiveDomain(deps, domainOf(mailbox.address)))) {
    throw new AppError('domain_not_allowed', `${domainOf(mailbox.address)} is not an active sending domain here.`);
  }
  const recipients = [...new Set(envelope.map((r) => r.trim().toLowerCase()))];
  if (recipients.length === 0) throw new AppError('validation_failed', 'At least one recipient is required.', 'to_mail');
  if (recipients.length > deps.config.maxRecipients) {
    throw new AppError('validation_failed', `At most ${deps.config.maxRecipients} recipients per message.`, 'to_mail');
  }
  // Signed once, before any delivery: every recipient, internal or external, and the Sent copy get
  // the same bytes, so what the sender keeps is exactly what receivers verify.
  const raw = await signMessage(deps, unsigned);
  if (raw.byteLength > deps.config.maxMessageBytes) {
    throw new AppError('payload_too_large', `Message exceeds the ${deps.config.maxMessageBytes}-byte limit.`);
  }
  await enforceRateLimit(deps, mailbox);
  if ((await chargeSendBalance(deps.db, mailbox.id)) === null) {
    throw new AppError('send_quota_exhausted', 'This address has no send balance left; an admin can grant more.');
  }

  const parsed = raw === unsigned && parsedAlready ? parsedAlready : await parseMessage(raw);
  // Recipients get the message without Bcc; the Sent record and the Sent folder keep it whole.
  const copy = recipientCopy(raw, parsed);
  const active = new Set(await activeDomainNames(deps));
  const ours = (r: string) => active.has(domainOf(r));
  const internal = recipients.filter(ours);
  const external = recipients.filter((r) => !ours(r));
  const [internalOutcomes, externalOutcomes] = await Promise.all([
    Promise.all(internal.map((address) => deliverInternally(deps, mailbox, address, copy.raw, copy.parsed))),
    external.length ? deps.provider.send({ from: mailbox.address, recipients: external, raw: copy.raw, parsed: copy.parsed }) : [],
  ]);
  const outcomes = [...internalOutcomes, ...externalOutcomes];
  const delivered = outcomes.filter((o) => o.status === 'sent').length;
  const status = delivered === outcomes.length ? 'sent' : delivered === 0 ? 'failed' : 'partial';

  const messageId = parsed.messageId ?? '';
  const id = await recordSent(deps, mailbox, raw, parsed, messageId, outcomes, status);
  await logDeliveries(
    deps.db,
    outcomes.map((o) => ({ direction: 'outbound', status: o.status, sender: mailbox.address, recipient: o.address })),
    deps.clock.now(),
  );
  // The sender's own copy, in the Sent folder of the v1 API.
  if (status !== 'failed') await ingestMessage(deps, { mailbox, envelopeFrom: mailbox.address, envelopeTo: mailbox.address, raw, parsed, folder: 'Sent' });
  if (status === 'failed') {
    await refundSendBalance(deps.db, mailbox.id);
    const reasons = [...new Set(outcomes.map((o) => (o.status === 'failed' ? o.error : '')))].join('; ');
    throw new AppError('delivery_failed', `No recipient accepted the message (sent record ${id}): ${reasons}`);
  }
  return { id, messageId, status, recipients: outcomes };
}

async function enforceRateLimit(deps: Deps, mailbox: AddressRow): Promise<void> {
  const limit = deps.config.sendRatePerMinute;
  if (limit === 0) return;
  const now = deps.clock.now();
  const { count, oldest } = await sentSince(deps.db, mailbox.id, now - RATE_WINDOW_MS);
  if (count >= limit) {
    const retryAfter = Math.max(1, Math.ceil(((oldest ?? now) + RATE_WINDOW_MS - now) / 1000));
    throw new AppError('rate_limited', `At most ${limit} messages per minute; retry in ${retryAfter} s.`, undefined, retryAfter);
  }
}

async function deliverInternally(deps: Deps, sender: AddressRow, address: string, raw: Bytes, parsed: ParsedMessage): Promise<RecipientOutcome> {
  try {
    const mailbox = await resolveMailbox(deps, address);
    await ingestMessage(deps, { mailbox, envelopeFrom: sender.address, envelopeTo: address, raw, parsed });
    return { address, status: 'sent', via: 'internal' };
  } catch (err) {
    // A refusal (unknown mailbox, too large) is the recipient's outcome; a storage failure is ours.
    if (err instanceof AppError && err.status < 500) return { address, status: 'failed', via: 'internal', error: err.message };
    throw err;
  }
}

async function recordSent(
  deps: Deps,
  mailbox: AddressRow,
  raw: Bytes,
  parsed: ParsedMessage,
  messageId: string,
  outcomes: RecipientOutcome[],
  status: 'sent' | 'partial' | 'failed',
): Promise<number> {
  let rawKey: string | null = null;
  if (raw.byteLength > deps.config.blobThresholdBytes) {
    rawKey = `${sentBlobPrefix(mailbox.id)}${randomToken(24)}.eml`;
    await putBlob(deps.blobs, rawKey, raw, 'message/rfc822');
  }
  return insertSentMail(deps.db, {
    addressId: mailbox.id,
    messageId,
    subject: parsed.subject,
    toJson: JSON.stringify(parsed.to),
    ccJson: JSON.stringify(parsed.cc),
    recipientsJson: JSON.stringify(outcomes),
    status,
    rawSize: raw.byteLength,
    raw: rawKey ? null : raw,
    rawKey,
    createdAt: deps.clock.now(),
  });
}
