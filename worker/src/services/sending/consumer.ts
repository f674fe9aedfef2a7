/**
 * The SEND_QUEUE consumer: claims each message, runs one dispatch attempt, and retries with
 * exponential backoff while recipients are deferred, up to SEND_MAX_ATTEMPTS; then the message is
 * recorded as failed and dead-lettered. Dead letters (ours, or a consumer that kept crashing) are
 * closed off so no message stays "sending" for ever.
 */
import { addEvents, recipientsOf, recordOutcomes } from '../../db/email-recipients';
import { claimEmail, findEmail, transitionEmail } from '../../db/emails';
import type { Deps } from '../deps';
import { dispatchAttempt } from './dispatch';
import { emailStatus, PENDING, retryDelaySeconds } from './status';
import { DISPATCH_LEASE_MS, TERMINAL_STATUSES, type SendJob } from './types';


export async function processSendJobs(deps: Deps, messages: readonly Message<SendJob>[]): Promise<void> {
  await Promise.all(messages.map((message) => processOne(deps, message)));
}

async function processOne(deps: Deps, message: Message<SendJob>): Promise<void> {
  const { id } = message.body;
  const { maxAttempts, retryBaseSeconds } = deps.config.sending;
  try {
    const now = deps.clock.now();
    const email = await claimEmail(deps.db, id, now, DISPATCH_LEASE_MS);
    if (!email) {
      const row = await findEmail(deps.db, id);
      // Another consumer is on it (a duplicate delivery): look again when its claim lapses.
      if (row && row.lockedUntil !== null && row.lockedUntil > now && !TERMINAL_STATUSES.includes(row.status)) {
        message.retry({ delaySeconds: Math.ceil((row.lockedUntil - now) / 1000) + 1 });
      } else {
        // Finished, cancelled, rescheduled or gone: nothing to do.
        message.ack();
      }
      return;
    }
    const report = await dispatchAttempt(deps, email, { final: email.attempts >= maxAttempts });
    if (report.pending) {
      message.retry({ delaySeconds: retryDelaySeconds(email.attempts, retryBaseSeconds) });
      return;
    }
    if (report.gaveUp) await deps.outbox.deadLetter(message.body);
    message.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'dispatch_failed', email: id, attempt: message.attempts, error: String(err), stack: (err as Error).stack }));
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds) });
  }
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
    }
    if (email) await addEvents(deps.db, email.id, [{ type: 'dead_lettered', createdAt: now }]);
    console.error(JSON.stringify({ level: 'error', event: 'dead_letter', email: message.body.id }));
    message.ack();
  }
}
