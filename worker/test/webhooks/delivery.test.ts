import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { bearer, call, createAddress, deliver, json, TestEmailMessage } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';
import { runQueue } from '../v1/sending';
import { createWebhook, deliveries, received, receiverUrl, runWebhooks, unique, webhookEnv } from './helpers';

/** A received message with a code, a long body and an attachment. */
function inbound(to: string, subject: string) {
  const body = `Your sign-in code is 482913.\r\n\r\n${'This sentence is the body and never goes into a webhook. '.repeat(40)}\r\n`;
  const raw = [
    'From: Acme <no-reply@acme.test>',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${unique()}@acme.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '--b1',
    'Content-Type: application/pdf; name="terms.pdf"',
    'Content-Disposition: attachment; filename="terms.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    btoa('%PDF-1.4 terms'),
    '--b1--',
    '',
  ].join('\r\n');
  return new TestEmailMessage('no-reply@acme.test', to, new TextEncoder().encode(raw));
}

describe('webhook delivery', () => {
  it('retries an endpoint that fails twice, delivers once, logs 3 attempts, and every request verifies with standardwebhooks', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const box = await createAddress(`wh-${unique()}`, undefined, e);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('flaky', key), events: ['email.received'], mailbox: box.address }, e);

    const message = inbound(box.address, 'Your Acme code');
    await deliver(message, e);
    expect(message.rejected).toBeNull();
    const [delivery] = await deliveries(admin, hook.id, e);
    expect(delivery).toMatchObject({ event_type: 'email.received', status: 'pending', attempts: 0 });

    const first = await runWebhooks(e, [delivery.id]);
    expect(first.retryMessages).toHaveLength(1);
    const second = await runWebhooks(e, [delivery.id]);
    const third = await runWebhooks(e, [delivery.id]);
    // Exponential backoff: 5 s, then 5 min (the next would be 30 min).
    expect([...first.delays, ...second.delays]).toEqual([5, 300]);
    expect(third.retryMessages).toEqual([]);
    expect(third.explicitAcks).toHaveLength(1);
    // A late duplicate of the queue message finds it settled and posts nothing.
    await runWebhooks(e, [delivery.id]);

    const [done] = await deliveries(admin, hook.id, e);
    expect(done).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, next_attempt_at: null });
    expect(done.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    expect(done.attempt_log[0].response_excerpt).toMatch(/^failure 1 /);
    expect(done.attempt_log[0].response_excerpt.length).toBeLessThanOrEqual(500);
    expect(done.attempt_log.every((a: { latency_ms: number }) => a.latency_ms >= 0)).toBe(true);

    const requests = await received(key);
    expect(requests.map((r) => r.status)).toEqual([500, 500, 200]);
    const wh = new Webhook(hook.secret);
    for (const r of requests) {
      const payload = wh.verify(r.body, r.headers) as { type: string; data: Record<string, any> };
      expect(payload.type).toBe('email.received');
      expect(r.headers['webhook-id']).toBe(done.message_id);
    }
    // The same webhook-id on every attempt; a wrong secret does not verify.
    expect(() => new Webhook(`whsec_${btoa('x'.repeat(32))}`).verify(requests[2]!.body, requests[2]!.headers)).toThrow();

    const { data } = JSON.parse(requests[2]!.body);
    expect(data).toMatchObject({
      address: box.address,
      from: { name: 'Acme', email: 'no-reply@acme.test' },
      subject: 'Your Acme code',
      attachments: [{ filename: 'terms.pdf', content_type: 'application/pdf', size: 14 }],
      verification_code: '482913',
    });
    expect(data.uid).toMatch(/^msg_/);
    expect(data.url).toBe(`/api/v1/mailboxes/${encodeURIComponent(box.address)}/messages/${data.uid}`);
    expect(data.snippet.length).toBeGreaterThan(10);
    // Only the snippet of the body travels.
    expect(requests[2]!.body.split('never goes into a webhook').length - 1).toBeLessThanOrEqual(3);
  });

  it('disables an endpoint whose attempts all failed for a day, and stops sending it events', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const box = await createAddress(`dead-${unique()}`, undefined, e);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('fail', key), events: ['email.received'], mailbox: box.address }, e);
    await deliver(inbound(box.address, 'one'), e);
    const [delivery] = await deliveries(admin, hook.id, e);

    const start = Date.now();
    const day = 24 * 3_600_000;
    expect((await runWebhooks(e, [delivery.id], { now: () => start })).retryMessages).toHaveLength(1);
    let state = (await json(await v1(admin, `/webhooks/${hook.id}`, {}, e))).data;
    expect(state).toMatchObject({ enabled: true, failing_since: new Date(start).toISOString() });

    // Still failing a little under a day later: retried. Past a day: disabled and flagged.
    expect((await runWebhooks(e, [delivery.id], { now: () => start + day - 60_000 })).retryMessages).toHaveLength(1);
    const last = await runWebhooks(e, [delivery.id], { now: () => start + day + 60_000 });
    expect(last.retryMessages).toEqual([]);
    state = (await json(await v1(admin, `/webhooks/${hook.id}`, {}, e))).data;
    expect(state.enabled).toBe(false);
    expect(state.disabled_reason).toContain('24 hours');
    const [failed] = await deliveries(admin, hook.id, e);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });

    await deliver(inbound(box.address, 'two'), e);
    expect(await deliveries(admin, hook.id, e)).toHaveLength(1);
    expect((await received(key)).length).toBe(3);

    // Re-enabling clears the flag and the failure clock.
    const again = (await json(await v1(admin, `/webhooks/${hook.id}`, { method: 'PATCH', body: JSON.stringify({ enabled: true }) }, e))).data;
    expect(again).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
  });

  it('posts at most WEBHOOK_POSTS_PER_INVOCATION per batch and puts the rest back on the queue, unattempted and without spending a retry', async () => {
    const base = webhookEnv({ WEBHOOK_POSTS_PER_INVOCATION: '2' });
    // The real (held) queue, with what the consumer sends to it recorded.
    const requeued: unknown[] = [];
    const queue = base.WEBHOOK_QUEUE;
    const e: Env = { ...base, WEBHOOK_QUEUE: { send: queue.send.bind(queue), sendBatch: (msgs: Iterable<MessageSendRequest>, o?: QueueSendBatchOptions) => (requeued.push(...[...msgs].map((m) => m.body)), queue.sendBatch(msgs, o)) } as Queue };
    const admin = await adminKey();
    const box = await createAddress(`cap-${unique()}`, undefined, e);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('ok', key), events: ['email.received'], mailbox: box.address }, e);
    for (let i = 0; i < 5; i++) await deliver(inbound(box.address, `capped ${i}`), e);
    const ids = (await deliveries(admin, hook.id, e)).map((d) => d.id as string);
    expect(ids).toHaveLength(5);

    requeued.length = 0;
    const batch = await runWebhooks(e, ids);
    expect((await received(key)).length).toBe(2);
    // Every message is settled: two delivered, three handed to new queue messages; none retried.
    expect(batch.retryMessages).toEqual([]);
    expect(batch.explicitAcks).toHaveLength(5);
    const after = await deliveries(admin, hook.id, e);
    const left = after.filter((d) => d.status === 'pending');
    expect(after.filter((d) => d.status === 'delivered')).toHaveLength(2);
    expect(left.map((d) => d.attempts)).toEqual([0, 0, 0]);
    expect(requeued).toEqual(expect.arrayContaining(left.map((d) => ({ kind: 'webhook', id: d.id }))));
    expect(requeued).toHaveLength(3);

    // The next invocations take them up.
    await runWebhooks(e, left.slice(0, 2).map((d) => d.id));
    await runWebhooks(e, [left[2]!.id]);
    expect((await received(key)).length).toBe(5);
    expect((await deliveries(admin, hook.id, e)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('a success resets the failure clock', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const box = await createAddress(`heal-${unique()}`, undefined, e);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('flaky', key), events: ['email.received'], mailbox: box.address }, e);
    await deliver(inbound(box.address, 'x'), e);
    const [delivery] = await deliveries(admin, hook.id, e);
    for (let i = 0; i < 3; i++) await runWebhooks(e, [delivery.id]);
    expect((await json(await v1(admin, `/webhooks/${hook.id}`, {}, e))).data.failing_since).toBeNull();
  });

  it('does not follow redirects, and fails at once on a 4xx other than 429', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const box = await createAddress(`redir-${unique()}`, undefined, e);
    const [k1, k2] = [unique(), unique()];
    const redirect = await createWebhook(admin, { url: receiverUrl('redirect', k1), events: ['email.received'], mailbox: box.address }, e);
    const gone = await createWebhook(admin, { url: receiverUrl('status/410', k2), events: ['email.received'], mailbox: box.address }, e);
    await deliver(inbound(box.address, 'x'), e);
    const ids = [(await deliveries(admin, redirect.id, e))[0].id, (await deliveries(admin, gone.id, e))[0].id];
    const result = await runWebhooks(e, ids);
    expect(result.retryMessages).toEqual([]);
    const [r] = await deliveries(admin, redirect.id, e);
    expect(r).toMatchObject({ status: 'failed', last_status_code: 302 });
    expect(r.last_error).toContain('not followed');
    expect((await received(k1)).map((x) => x.path)).toEqual([`/redirect/${k1}`]);
    expect((await deliveries(admin, gone.id, e))[0]).toMatchObject({ status: 'failed', last_status_code: 410 });
  });

  it('gives up on a slow endpoint at WEBHOOK_TIMEOUT_MS and retries it', async () => {
    const e = webhookEnv({ WEBHOOK_TIMEOUT_MS: '300' });
    const admin = await adminKey();
    const box = await createAddress(`slow-${unique()}`, undefined, e);
    const hook = await createWebhook(admin, { url: receiverUrl('slow', unique()), events: ['email.received'], mailbox: box.address }, e);
    await deliver(inbound(box.address, 'x'), e);
    const [delivery] = await deliveries(admin, hook.id, e);
    expect((await runWebhooks(e, [delivery.id])).delays).toEqual([5]);
    const [after] = await deliveries(admin, hook.id, e);
    expect(after.attempt_log[0]).toMatchObject({ status_code: null, error: 'Timed out after 300 ms' });
  });

  it('refuses to post to a private address at delivery time when WEBHOOK_ALLOW_PRIVATE is off', async () => {
    const dev = webhookEnv();
    const prod = webhookEnv({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    const admin = await adminKey();
    const box = await createAddress(`ssrf-${unique()}`, undefined, dev);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('ok', key), events: ['email.received'], mailbox: box.address }, dev);
    await deliver(inbound(box.address, 'x'), dev);
    const [delivery] = await deliveries(admin, hook.id, dev);
    expect((await runWebhooks(prod, [delivery.id])).retryMessages).toEqual([]);
    const [after] = await deliveries(admin, hook.id, dev);
    expect(after.status).toBe('failed');
    expect(after.last_error).toContain('loopback');
    expect(await received(key)).toEqual([]);
  });

  it('sends a test event now, and replays a delivery with the same webhook-id', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('ok', key), events: ['email.received'] }, e);
    const test = await json(await v1(admin, `/webhooks/${hook.id}/test`, { method: 'POST' }, e));
    expect(test.data).toMatchObject({ event_type: 'webhook.test', status: 'delivered', attempts: 1 });
    expect(test.data.attempt_log).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, response_excerpt: 'thanks' })]);
    const [request] = await received(key);
    expect((new Webhook(hook.secret).verify(request!.body, request!.headers) as { type: string }).type).toBe('webhook.test');

    const replay = await v1(admin, `/webhooks/${hook.id}/deliveries/${test.data.id}/replay`, { method: 'POST' }, e);
    expect(replay.status).toBe(201);
    const copy = (await json(replay)).data;
    expect(copy).toMatchObject({ status: 'pending', message_id: test.data.message_id, event_type: 'webhook.test' });
    expect(copy.id).not.toBe(test.data.id);
    await runWebhooks(e, [copy.id]);
    const both = await received(key);
    expect(both.map((r) => r.headers['webhook-id'])).toEqual([test.data.message_id, test.data.message_id]);
    expect((await v1(admin, `/webhooks/${hook.id}/deliveries/whd_nope/replay`, { method: 'POST' }, e)).status).toBe(404);
  });
});

describe('sending events', () => {
  it('come from the sending service: queued at accept, delivered at dispatch, cancelled on cancel', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const sender = await createAddress(`evs-${unique()}`, undefined, e);
    const rcpt = await createAddress(`evr-${unique()}`, undefined, e);
    const key = unique();
    const hook = await createWebhook(admin, { url: receiverUrl('ok', key), events: ['email.queued', 'email.delivered', 'email.cancelled', 'email.opened'], mailbox: sender.address }, e);
    const res = await v1(sender.jwt, '/emails', { method: 'POST', body: JSON.stringify({ to: rcpt.address, subject: 'Hi', text: 'Hello', tags: ['welcome'] }) }, e);
    const id = (await json(res)).data.id;
    await runQueue(e, id);
    const later = await v1(sender.jwt, '/emails', { method: 'POST', body: JSON.stringify({ to: rcpt.address, subject: 'Later', text: 'x', scheduled_at: new Date(Date.now() + 3_600_000).toISOString() }) }, e);
    const laterId = (await json(later)).data.id;
    await v1(sender.jwt, `/emails/${laterId}/cancel`, { method: 'POST' }, e);

    const list = await deliveries(admin, hook.id, e);
    expect(list.map((d) => d.event_type).reverse()).toEqual(['email.queued', 'email.delivered', 'email.queued', 'email.cancelled']);
    await runWebhooks(e, list.map((d) => d.id));
    const requests = await received(key);
    const wh = new Webhook(hook.secret);
    const bodies = requests.map((r) => wh.verify(r.body, r.headers) as { type: string; data: Record<string, any> });
    const delivered = bodies.find((b) => b.type === 'email.delivered')!;
    expect(delivered.data).toMatchObject({ email_id: id, from: sender.address, to: [rcpt.address], subject: 'Hi', tags: ['welcome'], recipient: rcpt.address, status: 'delivered', smtp_code: 250 });
    expect(bodies.find((b) => b.type === 'email.cancelled')!.data).toMatchObject({ email_id: laterId, status: 'cancelled' });
    // Payloads describe messages; they carry no body.
    expect(requests.some((r) => r.body.includes('Hello'))).toBe(false);
  });

  it('come from the original synchronous doors too: delivered, never queued', async () => {
    const e = webhookEnv();
    const admin = await adminKey();
    const sender = await createAddress(`sync-${unique()}`, undefined, e);
    const rcpt = await createAddress(`syncr-${unique()}`, undefined, e);
    const hook = await createWebhook(admin, { url: receiverUrl('ok', unique()), events: ['email.queued', 'email.delivered'], mailbox: sender.address }, e);
    const res = await call('/api/send_mail', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify({ from_name: 'S', to_name: '', to_mail: rcpt.address, subject: 'sync', is_html: false, content: 'hi' }) }, e);
    expect(res.status).toBe(200);
    expect((await deliveries(admin, hook.id, e)).map((d) => d.event_type)).toEqual(['email.delivered']);
  });
});
