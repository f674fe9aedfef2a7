/**
 * Accepting messages: check each one (sender, recipients, size, schedule), then spend the send
 * balance, store every message with its recipients in one D1 batch, and hand the immediate ones to
 * the queue. Storing comes first: once accepted, a message is in D1 whatever happens to the queue.
 */
import { insertEmails, setEnqueuedAt, sentSince, type EmailInsert } from '../../db/emails';
import { chargeSendBalance, countSentStatement, refundSendBalance } from '../../db/sent';
import type { EmailStatus } from '../../db/schema-sending';
import { randomToken } from '../../lib/clock';
import { newTrackId } from '../tracking/tokens';
import { trackingFor } from '../tracking/settings';
import { emitEvents } from '../webhooks/emit';
import { emailData } from '../webhooks/payloads';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { domainOf } from './domains';
import { buildEmailMime } from './build';
import { storePayload, storeRaw } from './payload';
import { resolveSender, type Sender } from './sender';
import { DISPATCH_LEASE_MS, type AcceptedEmail, type EmailDraft, type Mailbox, type StoredPayload } from './types';

export const MAX_SCHEDULE_AHEAD_MS = 30 * 86_400_000;
const RATE_WINDOW_MS = 60_000;
/** After this long without a consumer taking it, a queued message is handed to the queue again. */
export const STRANDED_AFTER_MS = 15 * 60_000;

export interface PreparedEmail {
  sender: Sender;
  draft: EmailDraft;
  recipients: { address: string; name: string; type: 'to' | 'cc' | 'bcc' }[];
  scheduledAt: number | null;
}

/** Accepts one message: checked, metered, stored and queued (or scheduled). The door for single sends. */
export async function acceptEmail(deps: Deps, principal: Principal, draft: EmailDraft): Promise<AcceptedEmail> {
  const [accepted] = await commitEmails(deps, [await prepareEmail(deps, principal, draft)]);
  return accepted!;
}

/** Senders already resolved in this request (a batch usually sends from one address). */
export type SenderCache = Map<string, Promise<Sender>>;

/** Checks one message without writing anything; throws the AppError a door reports for it. */
export async function prepareEmail(deps: Deps, principal: Principal, draft: EmailDraft, senders: SenderCache = new Map()): Promise<PreparedEmail> {
  const key = draft.from?.address.toLowerCase() ?? '';
  if (!senders.has(key)) senders.set(key, resolveSender(deps, principal, draft.from ? { address: draft.from.address } : undefined));
  const resolved = await senders.get(key)!;
  // The display name is per message; who may send is per address.
  const sender: Sender = draft.from?.name ? { ...resolved, from: { ...resolved.from, name: draft.from.name } } : resolved;
  const seen = new Set<string>();
  const recipients: PreparedEmail['recipients'] = [];
  for (const [type, list] of [['to', draft.to], ['cc', draft.cc], ['bcc', draft.bcc]] as const) {
    for (const m of list) {
      const address = m.address.trim().toLowerCase();
      if (seen.has(address)) continue;
      seen.add(address);
      recipients.push({ address, name: m.name ?? '', type });
    }
  }
  if (draft.to.length === 0) throw new AppError('validation_failed', 'At least one "to" recipient is required.', 'to');
  if (recipients.length > deps.config.maxRecipients) {
    throw new AppError('validation_failed', `At most ${deps.config.maxRecipients} recipients (to, cc and bcc together) per message.`, 'to');
  }
  if (draft.text === undefined && draft.html === undefined) throw new AppError('validation_failed', 'Give html and/or text.', 'html');
  const size = estimatedSize(draft);
  if (size > deps.config.maxMessageBytes) {
    throw new AppError('payload_too_large', `The message would be about ${size} bytes; the limit is ${deps.config.maxMessageBytes}.`);
  }
  const now = deps.clock.now();
  let scheduledAt: number | null = null;
  if (draft.scheduledAt !== undefined && draft.scheduledAt > now) {
    if (draft.scheduledAt > now + MAX_SCHEDULE_AHEAD_MS) throw new AppError('validation_failed', 'scheduled_at must be at most 30 days ahead.', 'scheduled_at');
    scheduledAt = draft.scheduledAt;
  }
  return { sender, draft, recipients, scheduledAt };
}

/**
 * Stores prepared messages and queues (or, in `sync` mode, claims for immediate dispatch) them.
 * Balance and rate are checked per sending address for the whole set: a batch is all or nothing.
 */
export async function commitEmails(deps: Deps, prepared: PreparedEmail[], mode: 'queue' | 'sync' = 'queue'): Promise<AcceptedEmail[]> {
  if (prepared.length === 0) return [];
  const { charged, unmetered } = await meter(deps, prepared);
  const now = deps.clock.now();
  try {
    const inserts = await Promise.all(prepared.map((p) => toInsert(deps, p, now, mode)));
    // A queued message raises email.queued: the batch that stores it reads the webhook endpoints too.
    const endpoints = await insertEmails(deps.db, inserts, [...unmetered].map(([addressId, n]) => countSentStatement(deps.db, addressId, n)), mode === 'queue');
    const accepted = inserts.map((ins, i) => accepted_(ins, prepared[i]!));
    if (mode === 'queue') await handOver(deps, accepted, now);
    // A synchronous send is never queued: its first event is the dispatch outcome.
    if (mode === 'queue') await emitEvents(
      deps,
      inserts.map((ins, i) => ({
        type: 'email.queued' as const,
        address: prepared[i]!.sender.from.address,
        data: emailData(ins.email, prepared[i]!.sender.from.address, { status: ins.email.status, scheduled_at: ins.email.scheduledAt ? new Date(ins.email.scheduledAt).toISOString() : null }),
      })),
      endpoints,
    );
    return accepted;
  } catch (err) {
    for (const [addressId, n] of charged) await refundSendBalance(deps.db, addressId, n);
    throw err;
  }
}

/** Charges metered senders (balance and rate); counts unmetered ones' messages, written with the insert. */
async function meter(deps: Deps, prepared: PreparedEmail[]) {
  const count = (metered: boolean) => {
    const perMailbox = new Map<number, number>();
    for (const p of prepared) if (p.sender.metered === metered) perMailbox.set(p.sender.mailbox.id, (perMailbox.get(p.sender.mailbox.id) ?? 0) + 1);
    return perMailbox;
  };
  const charged = new Map<number, number>();
  try {
    for (const [addressId, n] of count(true)) {
      await chargeSender(deps, addressId, n);
      charged.set(addressId, n);
    }
  } catch (err) {
    for (const [addressId, n] of charged) await refundSendBalance(deps.db, addressId, n);
    throw err;
  }
  return { charged, unmetered: count(false) };
}

/** The per-address send rate, then the send balance, for `n` messages from one address. */
export async function chargeSender(deps: Deps, addressId: number, n: number): Promise<void> {
  await enforceRate(deps, addressId, n);
  if ((await chargeSendBalance(deps.db, addressId, n)) === null) {
    throw new AppError('send_quota_exhausted', 'This address has no send balance left for this; an admin can grant more.');
  }
}

async function enforceRate(deps: Deps, addressId: number, adding: number): Promise<void> {
  const limit = deps.config.sendRatePerMinute;
  if (limit === 0) return;
  const now = deps.clock.now();
  const { count, oldest } = await sentSince(deps.db, addressId, now - RATE_WINDOW_MS);
  if (count + adding > limit) {
    const retryAfter = Math.max(1, Math.ceil(((oldest ?? now) + RATE_WINDOW_MS - now) / 1000));
    throw new AppError('rate_limited', `At most ${limit} messages per minute from one address; retry in ${retryAfter} s.`, undefined, retryAfter);
  }
}

async function toInsert(deps: Deps, p: PreparedEmail, now: number, mode: 'queue' | 'sync'): Promise<EmailInsert> {
  const { draft, sender } = p;
  const publicId = `em_${randomToken(24)}`;
  const messageId = `<${randomToken(24)}@${domainOf(sender.from.address)}>`;
  const payload: StoredPayload = {
    from: sender.from,
    to: draft.to,
    cc: draft.cc,
    replyTo: draft.replyTo,
    subject: draft.subject,
    // Without text, the MIME builder derives the text alternative from the HTML (html-to-text).
    text: draft.text,
    html: draft.html,
    headers: draft.headers,
    attachments: draft.attachments,
    inReplyTo: draft.inReplyTo,
    references: draft.references,
  };
  // A synchronous send is built right here (its dispatch follows at once); a queued one keeps its
  // compose input and is built at dispatch, so a scheduled message carries the Date it is sent at.
  const stored =
    mode === 'sync'
      ? { payload: null, payloadKey: null, ...(await storeRaw(deps, { addressId: sender.mailbox.id, publicId }, await buildEmailMime(deps, payload, messageId, new Date(now)))) }
      : await storePayload(deps, sender.mailbox.id, publicId, payload);
  const status: EmailStatus = mode === 'sync' ? 'sending' : p.scheduledAt !== null ? 'scheduled' : 'queued';
  // The synchronous doors build at once and keep no compose input to build tracked copies from.
  const tracking = mode === 'sync' ? { opens: false, clicks: false, base: null } : trackingFor(deps.config, draft);
  const tracked = tracking.opens || tracking.clicks;
  const events: EmailInsert['events'] = [{ type: 'accepted', createdAt: now }];
  if (p.scheduledAt !== null) events.push({ type: 'scheduled', detail: new Date(p.scheduledAt).toISOString(), createdAt: now });
  return {
    email: {
      publicId,
      addressId: sender.mailbox.id,
      messageId,
      fromName: sender.from.name ?? '',
      subject: draft.subject,
      toJson: JSON.stringify(draft.to.map(plain)),
      ccJson: JSON.stringify(draft.cc.map(plain)),
      bccJson: JSON.stringify(draft.bcc.map(plain)),
      tagsJson: JSON.stringify(draft.tags),
      attachmentsJson: JSON.stringify(draft.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, size: base64Size(a.contentBase64) }))),
      status,
      ...stored,
      charged: sender.metered,
      // A synchronous send is dispatched by the request that accepted it: claimed from the start.
      attempts: mode === 'sync' ? 1 : 0,
      lockedUntil: mode === 'sync' ? now + DISPATCH_LEASE_MS : null,
      enqueuedAt: status === 'queued' ? now : null,
      scheduledAt: p.scheduledAt,
      trackOpens: tracking.opens,
      trackClicks: tracking.clicks,
      trackingBase: tracking.base,
      createdAt: now,
      updatedAt: now,
    },
    recipients: p.recipients.map((r) => ({ address: r.address, name: r.name, type: r.type, status: 'queued', updatedAt: now, trackId: tracked ? newTrackId() : null })),
    events,
  };
}

/** Queues the immediate messages and wakes the scheduler for the others. A queue outage loses nothing. */
async function handOver(deps: Deps, accepted: AcceptedEmail[], now: number): Promise<void> {
  const immediate = accepted.filter((a) => a.status === 'queued');
  const scheduled = accepted.filter((a) => a.scheduledAt !== null).map((a) => a.scheduledAt!);
  try {
    if (immediate.length) await deps.outbox.enqueue(immediate.map((a) => ({ kind: 'send', id: a.id })));
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'enqueue_failed', error: String(err), emails: immediate.length }));
    // Stored, not queued: the scheduler's sweep re-enqueues them shortly.
    await setEnqueuedAt(deps.db, immediate.map((a) => a.id), null);
    scheduled.push(now + 30_000);
  }
  if (scheduled.length) await deps.scheduler.wake(Math.min(...scheduled));
}

function accepted_(ins: EmailInsert, p: PreparedEmail): AcceptedEmail {
  return {
    id: ins.email.publicId,
    messageId: ins.email.messageId,
    status: ins.email.status,
    from: p.sender.from,
    to: p.draft.to,
    subject: p.draft.subject,
    scheduledAt: p.scheduledAt,
    recipientCount: p.recipients.length,
  };
}

const plain = (m: Mailbox) => ({ name: m.name ?? '', address: m.address.toLowerCase() });

function base64Size(b64: string): number {
  const clean = b64.replace(/\s+/g, '');
  return Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0);
}

/** An upper estimate of the built message: base64 bodies and attachments with line breaks, plus headers. */
function estimatedSize(d: EmailDraft): number {
  const utf8 = (s: string | undefined) => (s === undefined ? 0 : new TextEncoder().encode(s).byteLength);
  const b64 = (n: number) => Math.ceil(n / 3) * 4 * (78 / 76);
  const attachments = d.attachments.reduce((n, a) => n + b64(base64Size(a.contentBase64)) + 300, 0);
  return Math.ceil(b64(utf8(d.text) + utf8(d.html)) + attachments + 4096);
}
