/**
 * /stats/delivery and /stats/domain/{domain}: per-recipient outcomes of mail sent through the real
 * queue consumer and SMTP relay provider (a local relay that accepts, defers, bounces or refuses by
 * address), and inbound mail through the real email() entry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, json, TestEmailMessage } from '../../helpers';
import { grant, signup, userOn } from '../../accounts/helpers';
import { adminKey, v1 } from '../../v1/helpers';
import { runQueue, smtpEnv } from '../../v1/sending';
import { expectError, expectSameShape, GUIDE_TIME, mailapi, ok, post, unique } from './helpers';
import { DELIVERY_STATS_RESPONSE, DOMAIN_STATS_RESPONSE } from './seed-examples';

const tag = unique();
const far = (local: string) => `${local}-${tag}@far.test`;
let admin: string;
let today: string;

beforeAll(async () => {
  admin = await adminKey();
  await signup('yourdomain.com');
  await ok(await post(admin, '/domains/yourdomain.com/approve', {}));
  const e = smtpEnv();
  const send = async (to: string[], text = 'hello', run = true, from = 'sender@yourdomain.com') => {
    const { message_id } = await ok(await post(admin, '/mail/send', { from, to, subject: 'stats', body: { text } }, e), 202);
    if (run) await runQueue(e, message_id, 1);
    return message_id;
  };
  await send([far('ok1'), far('ok2')]); // 2 delivered
  await send([far('bounce')]); // 1 bounced (and now suppressed)
  await send([far('tempfail')]); // 1 deferred: retried later
  await send([far('ok3')], 'REJECT-DATA'); // 1 rejected: refused after DATA
  await send([far('bounce')]); // 1 rejected: suppressed
  await send([far('ok4')], 'hello', false); // 1 deferred: not attempted yet
  // Another domain's mail, which a filter by sender leaves out.
  await send([far('ok5')], 'hello', false, 'other@example.com');
  today = new Date().toISOString().slice(0, 10);

  // Inbound: two accepted from gmail.test (one then filed as Junk), one rejected (no such mailbox).
  await userOn(admin, 'user@yourdomain.com');
  const receive = (to: string, subject: string) =>
    deliver(new TestEmailMessage('friend@gmail.test', to, new TextEncoder().encode(`From: friend@gmail.test\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject}-${tag}@gmail.test>\r\n\r\nhi\r\n`)));
  await receive('user@yourdomain.com', 'hello');
  await receive('user@yourdomain.com', 'junk');
  await receive('nobody@yourdomain.com', 'lost');
  const listed = await json(await v1(admin, '/mailboxes/user@yourdomain.com/messages'));
  const junk = listed.data.find((m: any) => m.subject === 'junk');
  expect((await v1(admin, `/mailboxes/user@yourdomain.com/messages/${junk.uid}`, { method: 'PATCH', body: JSON.stringify({ folder: 'Junk' }) })).status).toBe(200);
});

describe('GET /stats/delivery', () => {
  it('sums each recipient\'s outcome in the guide\'s fields: delivered, bounced, deferred, rejected and the delivery rate', async () => {
    const body = await ok(await mailapi(admin, '/stats/delivery?sender=yourdomain.com'));
    expectSameShape(body, DELIVERY_STATS_RESPONSE);
    expect(body.summary).toEqual({ total_sent: 7, delivered: 2, bounced: 1, deferred: 2, rejected: 2, delivery_rate: 28.6 });
    // Grouped by day by default, newest first.
    expect(body.breakdown).toEqual([{ date: today, sent: 7, delivered: 2, bounced: 1, deferred: 2 }]);
    // The last 7 days by default.
    expect(body.period.start).toMatch(GUIDE_TIME);
    expect(body.period.end).toMatch(GUIDE_TIME);
    const span = Date.parse(body.period.end) - Date.parse(body.period.start);
    expect(Math.abs(span - 7 * 86_400_000)).toBeLessThanOrEqual(1000);
  });

  it('filters by one sender address, groups by hour or by recipient domain, and counts every sender for an admin without a filter', async () => {
    const one = await ok(await mailapi(admin, '/stats/delivery?sender=sender@yourdomain.com&group_by=domain'));
    expect(one.summary.total_sent).toBe(7);
    expect(one.breakdown).toEqual([{ domain: 'far.test', sent: 7, delivered: 2, bounced: 1, deferred: 2 }]);
    const hours = await ok(await mailapi(admin, '/stats/delivery?group_by=hour'));
    expect(hours.summary.total_sent).toBe(8);
    expect(hours.breakdown[0].hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
    expect((await ok(await mailapi(admin, '/stats/delivery?sender=nobody@yourdomain.com'))).summary).toEqual({
      total_sent: 0, delivered: 0, bounced: 0, deferred: 0, rejected: 0, delivery_rate: 0,
    });
  });

  it('takes the guide\'s period as dates and writes its end the guide\'s way (…T23:59:59Z)', async () => {
    const body = await ok(await mailapi(admin, '/stats/delivery?start_date=2024-01-20&end_date=2024-01-27'));
    expect(body).toEqual({ success: true, period: DELIVERY_STATS_RESPONSE.period, summary: { total_sent: 0, delivered: 0, bounced: 0, deferred: 0, rejected: 0, delivery_rate: 0 }, breakdown: [] });
    // The same period given as the guide writes it, timestamps: echoed as given, its last second included.
    const stamped = await ok(await mailapi(admin, '/stats/delivery?start_date=2024-01-20T00:00:00Z&end_date=2024-01-27T23:59:59Z'));
    expect(stamped.period).toEqual(DELIVERY_STATS_RESPONSE.period);
    const domainStamped = await ok(await mailapi(admin, '/stats/domain/yourdomain.com?start_date=2024-01-20T00:00:00Z&end_date=2024-01-27T23:59:59Z'));
    expect(domainStamped.period).toEqual(DELIVERY_STATS_RESPONSE.period);
    await expectError(await mailapi(admin, '/stats/delivery?start_date=2024-01-27&end_date=2024-01-20'), 400, 'VALIDATION_FAILED');
    await expectError(await mailapi(admin, '/stats/delivery?start_date=yesterday'), 400, 'VALIDATION_FAILED');
    await expectError(await mailapi(admin, '/stats/delivery?group_by=week'), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /stats/domain/{domain}', () => {
  it('reports outbound outcomes with top recipient domains, and inbound accepted, rejected, spam and top senders', async () => {
    const body = await ok(await mailapi(admin, '/stats/domain/yourdomain.com'));
    expectSameShape(body, DOMAIN_STATS_RESPONSE);
    expect(body.domain).toBe('yourdomain.com');
    expect(body.outbound).toEqual({ total: 7, delivered: 2, bounced: 1, deferred: 2, top_recipients: [{ domain: 'far.test', count: 7 }] });
    expect(body.inbound).toEqual({ total: 3, accepted: 2, rejected: 1, spam: 1, top_senders: [{ domain: 'gmail.test', count: 3 }] });
  });
});

describe('who may see stats', () => {
  it('lets a user with view_stats see their domain, and nobody else without it (ACCESS_DENIED, 403)', async () => {
    const viewer = await userOn(admin, 'viewer@yourdomain.com');
    await expectError(await mailapi(viewer, '/stats/domain/yourdomain.com'), 403, 'ACCESS_DENIED');
    await grant(admin, 'viewer@yourdomain.com', 'yourdomain.com', ['view_stats']);
    expect((await ok(await mailapi(viewer, '/stats/domain/yourdomain.com'))).outbound.total).toBe(7);
    expect((await ok(await mailapi(viewer, '/stats/delivery?sender=yourdomain.com'))).summary.total_sent).toBe(7);
    expect((await ok(await mailapi(viewer, '/stats/delivery?sender=sender@yourdomain.com'))).summary.total_sent).toBe(7);
    // Without naming a sender a user would see every domain's figures.
    await expectError(await mailapi(viewer, '/stats/delivery'), 403, 'ACCESS_DENIED');
    await expectError(await mailapi(viewer, '/stats/domain/example.com'), 403, 'ACCESS_DENIED');
    await expectError(await mailapi(viewer, '/stats/delivery?sender=example.com'), 403, 'ACCESS_DENIED');
  });
});
