/**
 * One dispatch attempt of a claimed message: build the MIME once (later attempts re-send the same
 * bytes), skip suppressed recipients, deliver internal recipients into their mailboxes and the rest
 * through the provider, then record every recipient's result. Only `queued`/`deferred` recipients
 * are offered the message, so a recipient that accepted never gets it twice.
 *
 * An attempt returns its writes rather than running them, so the queue consumer commits a whole
 * batch of attempts in one D1 round trip (services/sending/commit.ts).
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { deliveryLogStatements } from '../../db/delivery-log';
import { outcomeStatements, type RecipientPatch } from '../../db/email-recipients';
import { updateEmail, updateEmailStatement, type NewEvent } from '../../db/emails';
import type { AddressRow } from '../../db/schema';
import type { EmailRecipientRow, EmailRow, EmailStatus } from '../../db/schema-sending';
import { refundStatement } from '../../db/sent';
import { suppressedAmong, suppressionStatements } from '../../db/suppressions';
import type { Bytes } from '../../lib/bytes';
import type { Deps } from '../deps';
import { ingestMessage } from '../ingest';
import { parseMessage } from '../parse';
import type { RecipientResult } from '../providers/types';
import { withoutBlindFields } from '../raw-message';
import { buildEmailMime, withBccHeader } from './build';
import { domainOf, servesDomain } from './domains';
import { deliverInternally, deliverInternallyTogether } from './internal';
import { loadPayload, loadRaw, storeRaw } from './payload';
import { emailStatus, PENDING, recipientStatus } from './status';
import type { Mailbox } from './types';
import { isTracked, trackedCopies } from '../tracking/copies';
import type { EventInput } from '../webhooks/types';
import { emailData, recipientData } from '../webhooks/payloads';

export interface AttemptReport {
  status: EmailStatus;
  recipients: EmailRecipientRow[];
  /** Some recipients deferred and attempts remain: retry later. */
  pending: boolean;
  /** The last attempt ended with recipients that never got through: the message is dead-lettered. */
  gaveUp: boolean;
}

/** What an attempt needs besides the email row (loaded for a whole batch at once by the consumer). */
export interface AttemptContext {
  sender: AddressRow;
  recipients: EmailRecipientRow[];
}

export interface Attempt {
  report: AttemptReport;
  /** Recipient states, events, the email's new state, suppressions, refund, delivery log. */
  writes: BatchItem<'sqlite'>[];
  /** Webhook events, emitted once the writes are committed. */
  events: EventInput[];
}

type Outcome = RecipientResult | 'suppressed';

export async function runAttempt(deps: Deps, email: EmailRow, ctx: AttemptContext, opts: { final: boolean }): Promise<Attempt> {
  const now = deps.clock.now();
  const { sender } = ctx;
  const pending = ctx.recipients.filter((r) => PENDING.includes(r.status));
  const raw = await messageBytes(deps, email, now);
  const results = new Map<string, Outcome>();
  if (raw.byteLength > deps.config.maxMessageBytes) {
    for (const r of pending) results.set(r.address, tooLarge(r.address, deps.config.maxMessageBytes));
  } else if (pending.length) {
    // A first build happened just now (messageBytes), a later attempt's copies carry the first one's Date.
    const copies = await trackedCopies(deps, email, pending, email.builtAt ?? now);
    for (const [address, result] of await deliver(deps, sender.address, pending, raw, copies)) results.set(address, result);
  }

  const updates = pending.map((r) => ({ id: r.id, address: r.address, patch: patchFor(results.get(r.address)!, opts.final, now) }));
  const events: NewEvent[] = updates.map((u) => ({ type: u.patch.status!, recipient: u.address, detail: u.patch.smtpResponse ?? null, createdAt: now }));
  const after = ctx.recipients.map((r) => ({ ...r, ...(updates.find((u) => u.id === r.id)?.patch ?? {}) }) as EmailRecipientRow);
  const status = emailStatus(after.map((r) => r.status));
  const acceptedNow = updates.some((u) => u.patch.status === 'sent' || u.patch.status === 'delivered');
  const refund = email.charged && (status === 'failed' || status === 'bounced');
  // The Sent copy goes in before the outcome is written: a retry after a crash finds it (same bytes).
  if (acceptedNow && email.sentAt === null) await keepSentCopy(deps, sender, email, raw);

  const bounced = [...results.values()].filter((r): r is RecipientResult => r !== 'suppressed' && r.outcome === 'bounced' && r.via !== 'internal');
  const writes: BatchItem<'sqlite'>[] = [
    ...outcomeStatements(deps.db, email.id, updates, events),
    updateEmailStatement(deps.db, email.id, {
      status,
      lockedUntil: null,
      updatedAt: now,
      sentAt: email.sentAt ?? (acceptedNow ? now : null),
      deliveredAt: status === 'delivered' ? now : email.deliveredAt,
      lastError: updates.find((u) => u.patch.status !== 'sent' && u.patch.status !== 'delivered')?.patch.smtpResponse ?? email.lastError,
      ...(refund ? { charged: false } : {}),
    }),
    ...suppressionStatements(deps.db, bounced.map((b) => suppressionOf(email, sender.address, b, now))),
    ...(refund ? [refundStatement(deps.db, email.addressId)] : []),
    ...deliveryLogStatements(
      deps.db,
      updates
        .filter((u) => u.patch.status !== 'deferred' && u.patch.status !== 'suppressed')
        .map((u) => ({ direction: 'outbound' as const, status: u.patch.status === 'sent' || u.patch.status === 'delivered' ? ('sent' as const) : ('failed' as const), sender: sender.address, recipient: u.address })),
      now,
    ),
  ];
  const gaveUp = opts.final && [...results.values()].some((r) => r !== 'suppressed' && r.outcome === 'deferred');
  const notices: EventInput[] = updates.map((u) => ({
    type: EVENT_OF[u.patch.status!]!,
    address: sender.address,
    data: emailData(email, sender.address, recipientData({ ...after.find((r) => r.id === u.id)! })),
  }));
  return { report: { status, recipients: after, pending: status === 'sending', gaveUp }, writes, events: notices };
}

const EVENT_OF: Record<string, EventInput['type']> = {
  sent: 'email.sent',
  delivered: 'email.delivered',
  deferred: 'email.delivery_delayed',
  bounced: 'email.bounced',
  failed: 'email.failed',
  suppressed: 'email.suppressed',
};

function patchFor(result: Outcome, final: boolean, now: number): RecipientPatch {
  if (result === 'suppressed') return { status: 'suppressed', smtpResponse: 'Suppressed: this recipient hard-bounced earlier', updatedAt: now };
  return {
    status: recipientStatus(result, final),
    via: result.via,
    smtpCode: result.smtpCode ?? null,
    dsnCode: result.dsnCode ?? null,
    smtpResponse: result.response ?? null,
    providerId: result.providerId ?? null,
    updatedAt: now,
  };
}

/** The built message: built (and kept) on the first attempt, read back on every later one. */
async function messageBytes(deps: Deps, email: EmailRow, now: number): Promise<Bytes> {
  const existing = await loadRaw(deps, email);
  if (existing) return existing;
  const raw = await buildEmailMime(deps, await loadPayload(deps, email), email.messageId, new Date(now));
  // A tracked message keeps its compose input: each recipient's copy is built from it.
  const keep = isTracked(deps, email);
  await updateEmail(deps.db, email.id, { ...(await storeRaw(deps, email, raw)), builtAt: now, ...(keep ? {} : { payload: null, payloadKey: null }) });
  if (email.payloadKey && !keep) await deps.blobs.delete(email.payloadKey);
  return raw;
}

/** Delivers `raw`, or each recipient's own copy where `copies` has one (tracked messages). */
async function deliver(deps: Deps, from: string, pending: EmailRecipientRow[], raw: Bytes, copies: Map<string, Bytes> | null): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  const internal: string[] = [];
  const external: string[] = [];
  for (const r of pending) ((await servesDomain(deps, domainOf(r.address))) ? internal : external).push(r.address);
  const suppressed = await suppressedAmong(deps.db, domainOf(from), external);
  for (const address of suppressed) out.set(address, 'suppressed');
  const outbound = external.filter((a) => !suppressed.has(a));
  // A raw message may carry its own Bcc header: recipients never see it.
  const delivered = withoutBlindFields(raw);
  const parsed = await parseMessage(delivered);
  const own = (address: string) => copies?.get(address);
  const shared = outbound.filter((a) => !own(a));
  // Our own mailboxes that get the same bytes are stored together, in one D1 batch.
  const together = internal.filter((a) => !own(a));
  const internalResults = async () => {
    const settled = together.length > 1 ? await deliverInternallyTogether(deps, from, together, delivered, parsed) : new Map<string, RecipientResult>();
    return Promise.all(
      internal.map(async (address) => {
        const copy = own(address);
        return settled.get(address) ?? (copy ? deliverInternally(deps, from, address, copy, await parseMessage(copy)) : deliverInternally(deps, from, address, delivered, parsed));
      }),
    );
  };
  const [mine, theirs, single] = await Promise.all([
    internalResults(),
    shared.length ? deps.provider.send({ from, recipients: shared, raw: delivered, parsed }) : Promise.resolve([]),
    Promise.all(
      outbound.filter((a) => own(a)).map(async (address) => {
        const copy = own(address)!;
        return deps.provider.send({ from, recipients: [address], raw: copy, parsed: await parseMessage(copy) });
      }),
    ),
  ]);
  for (const result of [...mine, ...theirs, ...single.flat()]) out.set(result.address, result);
  return out;
}

function suppressionOf(email: EmailRow, from: string, b: RecipientResult, now: number) {
  return {
    domain: domainOf(from),
    address: b.address,
    reason: 'hard_bounce' as const,
    smtpCode: b.smtpCode ?? null,
    dsnCode: b.dsnCode ?? null,
    smtpResponse: b.response ?? null,
    sourceAddressId: email.addressId,
    createdAt: now,
  };
}

/** The sender's Sent folder gets the message with its Bcc header (a raw message's own, or ours). */
async function keepSentCopy(deps: Deps, sender: AddressRow, email: EmailRow, raw: Bytes): Promise<void> {
  const hasOwnBcc = withoutBlindFields(raw) !== raw;
  const kept = hasOwnBcc ? raw : withBccHeader(raw, JSON.parse(email.bccJson) as Mailbox[]);
  await ingestMessage(deps, { mailbox: sender, envelopeFrom: sender.address, envelopeTo: sender.address, raw: kept, folder: 'Sent' });
}

function tooLarge(address: string, limit: number): RecipientResult {
  return { address, outcome: 'failed', via: 'internal', smtpCode: 552, dsnCode: '5.3.4', response: `552 5.3.4 The built message exceeds the ${limit}-byte limit` };
}
