import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { emails } from '../../src/db/schema-sending';
import { createDeps } from '../../src/services/deps';
import { releaseDueEmails } from '../../src/services/sending/schedule';
import { eq } from 'drizzle-orm';
import { bearer, call, createAddress, json, testEnv } from '../helpers';
import { v1 } from './helpers';
import { getEmail, heldEnv, sendEmail, settled } from './sending';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
const scheduler = () => testEnv.SEND_SCHEDULER.get(testEnv.SEND_SCHEDULER.idFromName('global'));

describe('scheduled sending', () => {
  it('keeps a scheduled message until then, wakes the scheduler for it, and can reschedule and cancel it', async () => {
    const sender = await createAddress('sched-basic', undefined);
    const at = inAnHour();
    const res = await sendEmail(sender.jwt, { to: 'x@far.test', subject: 'later', text: 'x', scheduled_at: at });
    expect(res.status).toBe(202);
    const { data } = await json(res);
    expect(data).toMatchObject({ status: 'scheduled', scheduled_at: new Date(at).toISOString() });
    const alarm = await runInDurableObject(scheduler(), (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.parse(at));

    const later = new Date(Date.now() + 7_200_000).toISOString();
    const moved = await v1(sender.jwt, `/emails/${data.id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: later }) });
    expect(moved.status).toBe(200);
    expect((await json(moved)).data).toMatchObject({ status: 'scheduled', scheduled_at: later });
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(999);

    const cancelled = await v1(sender.jwt, `/emails/${data.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    const email = (await json(cancelled)).data;
    expect(email.status).toBe('cancelled');
    expect(email.recipients[0].status).toBe('cancelled');
    expect(email.events.map((e: any) => e.type)).toEqual(['accepted', 'scheduled', 'rescheduled', 'cancelled']);
    // Cancelling gives the send back.
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(1000);
    const again = await v1(sender.jwt, `/emails/${data.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('not_cancellable');
    expect((await v1(sender.jwt, `/emails/${data.id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: later }) })).status).toBe(409);
  });

  it('DELETE /emails/{id} cancels too', async () => {
    const sender = await createAddress('sched-delete');
    const { data } = await json(await sendEmail(sender.jwt, { to: 'x@far.test', subject: 'later', text: 'x', scheduled_at: inAnHour() }));
    const res = await v1(sender.jwt, `/emails/${data.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await getEmail(sender.jwt, data.id)).status).toBe('cancelled');
  });

  it('dispatches a message when it is due: the scheduler\'s alarm hands it to the queue', async () => {
    const sender = await createAddress('sched-due');
    const rcpt = await createAddress('sched-due-rcpt');
    const due = new Date(Date.now() + 1_500).toISOString();
    const { data } = await json(await sendEmail(sender.jwt, { to: 'sched-due-rcpt@example.com', subject: 'on time', text: 'x', scheduled_at: due }));
    expect(data.status).toBe('scheduled');
    const email = await settled(sender.jwt, data.id, 30_000);
    expect(email.status).toBe('delivered');
    expect(Date.parse(email.sent_at)).toBeGreaterThanOrEqual(Date.parse(due));
    expect((await json(await call('/api/parsed_mails', { headers: bearer(rcpt.jwt) }))).count).toBe(1);
  });

  it('a past time in PATCH sends now', async () => {
    const sender = await createAddress('sched-now');
    await createAddress('sched-now-rcpt');
    const { data } = await json(await sendEmail(sender.jwt, { to: 'sched-now-rcpt@example.com', subject: 's', text: 'x', scheduled_at: inAnHour() }));
    const res = await v1(sender.jwt, `/emails/${data.id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: '2020-01-01T00:00:00Z' }) });
    expect((await json(res)).data.status).toBe('queued');
    expect((await settled(sender.jwt, data.id)).status).toBe('delivered');
  });

  it('cannot cancel a message already dispatched', async () => {
    const sender = await createAddress('sched-late');
    await createAddress('sched-late-rcpt');
    const { data } = await json(await sendEmail(sender.jwt, { to: 'sched-late-rcpt@example.com', subject: 's', text: 'x' }));
    await settled(sender.jwt, data.id);
    const res = await v1(sender.jwt, `/emails/${data.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('not_cancellable');
  });

  it('loses nothing when the hand-over to the queue never happened: the sweep queues it', async () => {
    const sender = await createAddress('sched-stranded');
    await createAddress('sched-stranded-rcpt');
    // Accepted into a queue nobody reads, then marked as never handed over (as after a failed send()).
    const res = await call('/api/v1/emails', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify({ to: 'sched-stranded-rcpt@example.com', subject: 's', text: 'x' }) }, heldEnv({}));
    const { data } = await json(res);
    await createDb(testEnv.DB).update(emails).set({ enqueuedAt: null }).where(eq(emails.publicId, data.id));
    await releaseDueEmails(createDeps(testEnv));
    expect((await settled(sender.jwt, data.id)).status).toBe('delivered');
  });

  it('loses nothing when a dispatch died holding the message: once its claim lapses, the sweep queues it again', async () => {
    const sender = await createAddress('sched-crashed');
    await createAddress('sched-crashed-rcpt');
    const res = await call('/api/v1/emails', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify({ to: 'sched-crashed-rcpt@example.com', subject: 's', text: 'x' }) }, heldEnv({}));
    const { data } = await json(res);
    // As a consumer leaves it when it dies mid-dispatch: claimed, never released.
    await createDb(testEnv.DB).update(emails).set({ status: 'sending', attempts: 1, lockedUntil: Date.now() - 1000 }).where(eq(emails.publicId, data.id));
    await releaseDueEmails(createDeps(testEnv));
    const email = await settled(sender.jwt, data.id);
    expect(email).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
