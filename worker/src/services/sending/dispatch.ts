/**
 * One dispatch attempt of a claimed message: build the MIME once (later attempts re-send the same
 * bytes), skip suppressed recipients, deliver internal recipients into their mailboxes and the rest
 * through the provider, and record every recipient's result before anything else can retry it. A
 * recipient that accepted is never offered the message again.
 */
import { findAddressById } from '../../db/addresses';
import { logDeliveries } from '../../db/delivery-log';
import { recipientsOf, recordOutcomes, type RecipientPatch } from '../../db/email-recipients';
import { updateEmail, type NewEvent } from '../../db/emails';
import type { AddressRow, EmailRecipientRow, EmailRow, EmailStatus } from '../../db/schema';
import { refundSendBalance } from '../../db/sent';
import { addSuppressions, suppressedAmong } from '../../db/suppressions';
import type { Bytes } from '../../lib/bytes';
import type { Deps } from '../deps';
import { ingestMessage } from '../ingest';
import { parseMessage } from '../parse';
import type { RecipientResult } from '../providers/types';
import { buildEmailMime, withBccHeader } from './build';
import { domainOf, servesDomain } from './domains';
import { deliverInternally } from './internal';
import { loadPayload, loadRaw, storeRaw } from './payload';
import { emailStatus, PENDING, recipientStatus } from './status';
import type { Mailbox } from './types';

export interface AttemptReport {
  status: EmailStatus;
  recipients: EmailRecipientRow[];
  /** Some recipients deferred and attempts remain: retry later. */
  pending: boolean;
  /** The last attempt ended with recipients that never got through: the message is dead-lettered. */
  gaveUp: boolean;
}

export async function dispatchAttempt(deps: Deps, email: EmailRow, opts: { final: boolean }): Promise<AttemptReport> {
  const now = deps.clock.now();
  const sender = await findAddressById(deps.db, email.addressId);
  if (!sender) throw new Error(`email ${email.publicId} has no sending address`);
  const all = await recipientsOf(deps.db, [email.id]);
  const pending = all.filter((r) => PENDING.includes(r.status));

  const raw = await messageBytes(deps, email, now);
  const results = new Map<string, RecipientResult | 'suppressed'>();
  if (raw.byteLength > deps.config.maxMessageBytes) {
    for (const r of pending) results.set(r.address, tooLarge(r.address, deps.config.maxMessageBytes));
  } else if (pending.length) {
    for (const [address, result] of await deliver(deps, sender.address, pending, raw)) results.set(address, result);
  }

  const events: NewEvent[] = [];
  const updates: { id: number; patch: RecipientPatch }[] = [];
  for (const r of pending) {
    const result = results.get(r.address)!;
    const patch: RecipientPatch =
      result === 'suppressed'
        ? { status: 'suppressed', smtpResponse: 'Suppressed: this recipient hard-bounced earlier', updatedAt: now }
        : {
            status: recipientStatus(result, opts.final),
            via: result.via,
            smtpCode: result.smtpCode ?? null,
            dsnCode: result.dsnCode ?? null,
            smtpResponse: result.response ?? null,
            providerId: result.providerId ?? null,
            updatedAt: now,
          };
    updates.push({ id: r.id, patch });
    events.push({ type: patch.status!, recipient: r.address, detail: patch.smtpResponse ?? null, createdAt: now });
  }
  await recordOutcomes(deps.db, email.id, updates, events);
  const bounced = [...results.values()].filter((r): r is RecipientResult => r !== 'suppressed' && r.outcome === 'bounced' && r.via !== 'internal');
  if (bounced.length) await suppress(deps, email, sender.address, bounced, now);

  const after = all.map((r) => ({ ...r, ...(updates.find((u) => u.id === r.id)?.patch ?? {}) }) as EmailRecipientRow);
  const status = emailStatus(after.map((r) => r.status));
  const acceptedNow = updates.some((u) => u.patch.status === 'sent' || u.patch.status === 'delivered');
  const refund = email.charged && (status === 'failed' || status === 'bounced');
  await updateEmail(deps.db, email.id, {
    status,
    lockedUntil: null,
    updatedAt: now,
    sentAt: email.sentAt ?? (acceptedNow ? now : null),
    deliveredAt: status === 'delivered' ? now : email.deliveredAt,
    lastError: updates.find((u) => u.patch.status !== 'sent' && u.patch.status !== 'delivered')?.patch.smtpResponse ?? email.lastError,
    ...(refund ? { charged: false } : {}),
  });
  if (refund) await refundSendBalance(deps.db, email.addressId);
  if (acceptedNow && email.sentAt === null) await keepSentCopy(deps, sender, email, raw);
  await logOutcomes(deps, sender.address, updates.map((u) => ({ address: pending.find((p) => p.id === u.id)!.address, status: u.patch.status! })), now);

  const gaveUp = opts.final && [...results.values()].some((r) => r !== 'suppressed' && r.outcome === 'deferred');
  return { status, recipients: after, pending: status === 'sending', gaveUp };
}

/** The built message: built (and kept) on the first attempt, read back on every later one. */
async function messageBytes(deps: Deps, email: EmailRow, now: number): Promise<Bytes> {
  const existing = await loadRaw(deps, email);
  if (existing) return existing;
  const raw = buildEmailMime(await loadPayload(deps, email), email.messageId, new Date(now));
  await updateEmail(deps.db, email.id, { ...(await storeRaw(deps, email, raw)), payload: null, payloadKey: null });
  if (email.payloadKey) await deps.blobs.delete(email.payloadKey);
  return raw;
}

async function deliver(deps: Deps, from: string, pending: EmailRecipientRow[], raw: Bytes): Promise<Map<string, RecipientResult | 'suppressed'>> {
  const out = new Map<string, RecipientResult | 'suppressed'>();
  const internal: string[] = [];
  const external: string[] = [];
  for (const r of pending) ((await servesDomain(deps, domainOf(r.address))) ? internal : external).push(r.address);
  const suppressed = await suppressedAmong(deps.db, domainOf(from), external);
  for (const address of suppressed) out.set(address, 'suppressed');
  const outbound = external.filter((a) => !suppressed.has(a));
  const parsed = await parseMessage(raw);
  const [mine, theirs] = await Promise.all([
    Promise.all(internal.map((address) => deliverInternally(deps, from, address, raw, parsed))),
    outbound.length ? deps.provider.send({ from, recipients: outbound, raw, parsed }) : Promise.resolve([]),
  ]);
  for (const result of [...mine, ...theirs]) out.set(result.address, result);
  return out;
}

async function suppress(deps: Deps, email: EmailRow, from: string, bounced: RecipientResult[], now: number): Promise<void> {
  await addSuppressions(
    deps.db,
    bounced.map((b) => ({
      domain: domainOf(from),
      address: b.address,
      reason: 'hard_bounce',
      smtpCode: b.smtpCode ?? null,
      dsnCode: b.dsnCode ?? null,
      smtpResponse: b.response ?? null,
      sourceAddressId: email.addressId,
      createdAt: now,
    })),
  );
}

/** The sender's Sent folder gets the message as delivered plus its Bcc header. */
async function keepSentCopy(deps: Deps, sender: AddressRow, email: EmailRow, raw: Bytes): Promise<void> {
  const bcc = JSON.parse(email.bccJson) as Mailbox[];
  await ingestMessage(deps, { mailbox: sender, envelopeFrom: sender.address, envelopeTo: sender.address, raw: withBccHeader(raw, bcc), folder: 'Sent' });
}

async function logOutcomes(deps: Deps, sender: string, outcomes: { address: string; status: string }[], now: number): Promise<void> {
  const entries = outcomes
    .filter((o) => o.status !== 'deferred' && o.status !== 'suppressed')
    .map((o) => ({ direction: 'outbound' as const, status: o.status === 'sent' || o.status === 'delivered' ? ('sent' as const) : ('failed' as const), sender, recipient: o.address }));
  if (entries.length) await logDeliveries(deps.db, entries, now);
}

function tooLarge(address: string, limit: number): RecipientResult {
  return { address, outcome: 'failed', via: 'internal', smtpCode: 552, dsnCode: '5.3.4', response: `552 5.3.4 The built message exceeds the ${limit}-byte limit` };
}
