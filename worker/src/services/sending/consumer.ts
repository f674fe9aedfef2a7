/**
 * The SEND_QUEUE consumer: claims a batch of messages at once, runs one dispatch attempt each, writes
 * their outcomes together, and retries with exponential backoff while recipients are deferred, up to
 * SEND_MAX_ATTEMPTS; then the message is recorded as failed and dead-lettered. Dead letters (ours, or a consumer that kept crashing) are
 * closed off so no message stays "sending" for ever.
 */
import { addEvents, recipientsOf, recordOutcomes } from '../../db/email-recipients';
import { claimEmails, findEmail, findEmails, transitionEmail } from '../../db/emails';
import type { Deps } from '../deps';
import { findAddressById } from '../../db/addresses';
import { emitEvents } from '../webhooks/emit';
import { emailData, recipientData } from '../webhooks/payloads';
import { commitAttempts, loadContexts } from './commit';
import { runAttempt } from './dispatch';
import { emailStatus, PENDING, retryDelaySeconds } from './status';
import { DISPATCH_LEASE_MS, TERMINAL_STATUSES, type SendJob } from './types';

export async function processSendJobs(deps: Deps, messages: readonly Message<SendJob>[]): Promise<void> {
  const { maxAttempts, retryBaseSeconds } = deps.config.sending;
  const now = deps.clock.now();
  const byId = new Map<string, Message<SendJob>[]>();
  for (const m of messages) byId.set(m.body.id, [...(byId.get(m.body.id) ?? []), m]);
  const retryLater = (m: Message<SendJob>) => m.retry({ delaySeconds: retryDelaySeconds(m.attempts, retryBaseSeconds) });
  try {
    const claimed = await claimEmails(deps.db, [...byId.keys()], now, DISPATCH_LEASE_MS);
    await settleUnclaimed(deps, byId, new Set(claimed.map((e) => e.publicId)), now);
    const contexts = await loadContexts(deps, claimed);
    const attempts = await Promise.all(
      claimed.map(async (email) => {
        try {
          return { email, attempt: await runAttempt(deps, email, contexts.get(email.id)!, { final: email.attempts >= maxAttempts }) };
        } catch (err) {
          logFailure(email.publicId, err);
          return { email, attempt: null };
        }
      }),
    );
    const unwritten = await commitAttempts(deps, attempts.flatMap((a) => (a.attempt ? [a.attempt] : [])));
    for (const { email, attempt } of attempts) {
      // A duplicate delivery of the same queue message is settled with the first.
      const [message, ...duplicates] = byId.get(email.publicId)!;
      for (const d of duplicates) d.ack();
      if (!attempt || unwritten.has(attempt)) retryLater(message!);
      else if (attempt.report.pending) message!.retry({ delaySeconds: retryDelaySeconds(email.attempts, retryBaseSeconds) });
      else {
        if (attempt.report.gaveUp) await deps.outbox.deadLetter(message!.body);
        message!.ack();
      }
    }
  } catch (err) {
    // Claims or loads failed: nothing was sent; every message in the batch is tried again.
    logFailure(`${messages.length} messages`, err);
    for (const m of messages) retryLater(m);
  }
}

/** Messages this consumer did not claim: another holds them (look again later), or there is nothing to do. */
async function settleUnclaimed(deps: Deps, byId: Map<string, Message<SendJob>[]>, claimed: Set<string>, now: number): Promise<void> {
  const others = [...byId.keys()].filter((id) => !claimed.has(id));
  const rows = new Map((await findEmails(deps.db, others)).map((row) => [row.publicId, row]));
  for (const id of others) {
    const row = rows.get(id);
    // Finished, cancelled, rescheduled or gone (its sender deleted): nothing to do.
    const held = row && row.lockedUntil !== null && row.lockedUntil > now && !TERMINAL_STATUSES.includes(row.status);
    for (const m of byId.get(id)!) {
      if (held) m.retry({ delaySeconds: Math.ceil((row.lockedUntil! - now) / 1000) + 1 });
      else m.ack();
    }
  }
}

function logFailure(what: string, err: unknown): void {
  console.error(JSON.stringify({ level: 'error', event: 'dispatch_failed', what, error: String(err), stack: (err as Error).stack }));
}

/** Messages on the dead-letter queue: whatever is still pending is failed, and the timeline says so. */
export async function processDeadLetters(deps: Deps, messages: readonly Message<SendJob>[]): Promise<void> {
  for (const message of messages) {
    const now = deps.clock.now();
    const email = await findEmail(deps.db, message.body.id);
    if (email && (email.status === 'queued' || email.status === 'sending')) {
      const recipients = await recipientsOf(deps.db, [email.id]);
      const stuck = recipients.filter((r) => PENDING.includes(r.status));
      const detail = 'Dead-lettered: the message could not be processed';
      await recordOutcomes(
        deps.db,
        email.id,
        stuck.map((r) => ({ id: r.id, patch: { status: 'failed', smtpResponse: detail, updatedAt: now } })),
        stuck.map((r) => ({ type: 'failed', recipient: r.address, detail, createdAt: now })),
      );
      const statuses = recipients.map((r) => (PENDING.includes(r.status) ? 'failed' : r.status));
      await transitionEmail(deps.db, email.id, ['queued', 'sending'], { status: emailStatus(statuses), lockedUntil: null, lastError: detail }, now);
      const from = (await findAddressById(deps.db, email.addressId))?.address ?? '';
      await emitEvents(
        deps,
        stuck.map((r) => ({ type: 'email.failed' as const, address: from, data: emailData(email, from, recipientData({ ...r, status: 'failed', smtpResponse: detail })) })),
      );
    }
    if (email) await addEvents(deps.db, email.id, [{ type: 'dead_lettered', createdAt: now }]);
    console.error(JSON.stringify({ level: 'error', event: 'dead_letter', email: message.body.id }));
    message.ack();
  }
}
