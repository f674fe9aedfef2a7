/** Changing an accepted message before it is dispatched: reschedule or cancel. */
import { addEvents, setRecipientsStatus } from '../../db/email-recipients';
import { findEmail, transitionEmail } from '../../db/emails';
import type { EmailRow } from '../../db/schema-sending';
import { refundSendBalance } from '../../db/sent';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { assertMaySeeSender, lookupScope } from './scope';
import { MAX_SCHEDULE_AHEAD_MS } from './accept';
import { findAddressById } from '../../db/addresses';
import { emitEvents } from '../webhooks/emit';
import { emailData } from '../webhooks/payloads';

/** The email a caller may see (services/sending/scope.ts); anything else is not found. */
export async function emailFor(deps: Deps, principal: Principal, publicId: string): Promise<EmailRow> {
  const row = await findEmail(deps.db, publicId, lookupScope(principal));
  if (!row) throw new AppError('email_not_found', 'No such email.');
  await assertMaySeeSender(deps, principal, row.addressId);
  return row;
}

/** Sets a new send time for a message not yet dispatched; a time in the past means now. */
export async function rescheduleEmail(deps: Deps, principal: Principal, publicId: string, at: number): Promise<EmailRow> {
  const email = await emailFor(deps, principal, publicId);
  const now = deps.clock.now();
  if (at > now + MAX_SCHEDULE_AHEAD_MS) throw new AppError('validation_failed', 'scheduled_at must be at most 30 days ahead.', 'scheduled_at');
  const future = at > now;
  const updated = await transitionEmail(
    deps.db,
    email.id,
    ['scheduled', 'queued'],
    future ? { status: 'scheduled', scheduledAt: at } : { status: 'queued', scheduledAt: null, enqueuedAt: now },
    now,
  );
  if (!updated) throw new AppError('not_cancellable', `The email is ${email.status}; only a message not yet dispatched can be rescheduled.`);
  await addEvents(deps.db, email.id, [{ type: 'rescheduled', detail: future ? new Date(at).toISOString() : 'now', createdAt: now }]);
  if (future) await deps.scheduler.wake(at);
  // A queued message's queue entry is still on its way (and finds it rescheduled, or not); only a
  // formerly scheduled message needs handing over.
  else if (email.status === 'scheduled') await deps.outbox.enqueue([{ kind: 'send', id: email.publicId }]);
  return updated;
}

/** Cancels a message not yet dispatched (scheduled, or queued and not yet taken by a consumer). */
export async function cancelEmail(deps: Deps, principal: Principal, publicId: string): Promise<EmailRow> {
  const email = await emailFor(deps, principal, publicId);
  const now = deps.clock.now();
  const updated = await transitionEmail(deps.db, email.id, ['scheduled', 'queued'], { status: 'cancelled', charged: false }, now);
  if (!updated) throw new AppError('not_cancellable', `The email is ${email.status}; only a message not yet dispatched can be cancelled.`);
  await setRecipientsStatus(deps.db, email.id, ['queued'], 'cancelled', now);
  await addEvents(deps.db, email.id, [{ type: 'cancelled', createdAt: now }]);
  if (email.charged) await refundSendBalance(deps.db, email.addressId);
  const from = (await findAddressById(deps.db, email.addressId))?.address ?? '';
  await emitEvents(deps, [{ type: 'email.cancelled', address: from, data: emailData(email, from, { status: 'cancelled' }) }]);
  return updated;
}
