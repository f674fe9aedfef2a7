/** /mail/send, /mail/{message_id}/status and /mail/sent with the guide's own examples. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAddress, envWith, testEnv } from '../../helpers';
import { signup } from '../../accounts/helpers';
import { adminKey, mailboxKey } from '../../v1/helpers';
import { expectError, expectSameShape, GUIDE_TIME, mailapi, ok, post, unique } from './helpers';
import { SEND_BODY_LIMIT } from '../../../src/routes/compat/mailapi/mail';
import { SEND_REQUEST, SEND_RESPONSE, SENT_RESPONSE, STATUS_RESPONSE } from './seed-examples';

const PDF = btoa('%PDF-1.4\n% a tiny test document\n%%EOF\n');
/** The guide's request with real base64 where it writes "base64-encoded-content-here". */
const sendRequest = { ...SEND_REQUEST, attachments: [{ ...SEND_REQUEST.attachments[0]!, content: PDF }] };

let admin: string;

beforeAll(async () => {
  admin = await adminKey('My API Token');
  await signup('yourdomain.com');
  await ok(await post(admin, '/domains/yourdomain.com/approve', {}));
});

const SETTLED = ['sent', 'partial', 'bounced', 'failed'];

/** Polls the status endpoint until the real queue consumer has finished with the message. */
async function settledStatus(token: string, id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = await ok(await mailapi(token, `/mail/${id}/status`));
    if (SETTLED.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('POST /mail/send', () => {
  it('answers the guide\'s example request with 202 and its example fields: message_id, status "submitted", queue_id, recipient_count 3', async () => {
    const body = await ok(await post(admin, '/mail/send', sendRequest), 202);
    expectSameShape(body, SEND_RESPONSE);
    expect(body).toMatchObject({ success: true, status: 'submitted', recipient_count: 3 });
    expect(body.message_id).toMatch(/^em_[a-z0-9]{24}$/);
    expect(body.queue_id).toMatch(/^[a-z0-9]{24}$/);
    // The queue id is the token of the Message-ID every copy carries.
    const status = await settledStatus(admin, body.message_id);
    expect(status.recipients.map((r: any) => [r.email, r.type])).toEqual([
      ['recipient@example.com', 'to'],
      ['cc@example.com', 'cc'],
      ['bcc@example.com', 'bcc'],
    ]);
  });

  it('goes through the queue and delivers the message the guide describes: headers, reply-to, attachment, Bcc hidden', async () => {
    const rcpt = await createAddress(`rcpt-${unique()}`);
    const watcher = await createAddress(`bcc-${unique()}`);
    const request = { ...sendRequest, to: [rcpt.address], cc: [], bcc: [watcher.address], subject: 'Invoice Attached' };
    const sent = await ok(await post(admin, '/mail/send', request), 202);
    expect(sent.recipient_count).toBe(2);
    expect((await settledStatus(admin, sent.message_id)).status).toBe('sent');

    const list = await ok(await mailapi(admin, `/mailbox/${rcpt.address}/messages`));
    expect(list.messages).toHaveLength(1);
    const uid = list.messages[0].uid;
    const message = await ok(await mailapi(admin, `/mailbox/${rcpt.address}/messages/${uid}`));
    expect(message.message_id).toBe(`<${sent.queue_id}@yourdomain.com>`);
    expect(message).toMatchObject({ subject: 'Invoice Attached', from: { email: 'sender@yourdomain.com' }, cc: [] });
    expect(message.headers).toMatchObject({ 'X-Custom-Header': 'custom-value', 'Reply-To': 'replyto@yourdomain.com' });
    expect(message.headers.Bcc).toBeUndefined();
    expect(message.body.text.trim()).toBe('Plain text version of the email');
    expect(message.body.html).toContain('<h1>HTML version</h1>');
    expect(message.attachments).toEqual([{ index: 0, filename: 'document.pdf', content_type: 'application/pdf', size: atob(PDF).length, content_id: null }]);
    const file = await mailapi(admin, `/mailbox/${rcpt.address}/messages/${uid}/attachment/0`);
    expect(new TextDecoder().decode(await file.arrayBuffer())).toBe(atob(PDF));
    // The Bcc recipient got it too.
    expect((await ok(await mailapi(admin, `/mailbox/${watcher.address}/messages`))).total).toBe(1);
  });

  it('takes "to" as a single address too, and a body with only html', async () => {
    const rcpt = await createAddress(`single-${unique()}`);
    const body = await ok(await post(admin, '/mail/send', { from: 'sender@yourdomain.com', to: rcpt.address, body: { html: '<p>only html</p>' } }), 202);
    expect(body.recipient_count).toBe(1);
  });

  it('refuses a sender outside our active domains with DOMAIN_NOT_ALLOWED (403), a pending one included', async () => {
    await expectError(await post(admin, '/mail/send', { ...sendRequest, from: 'someone@gmail.com' }), 403, 'DOMAIN_NOT_ALLOWED');
    await signup('pending-sender.test');
    await expectError(await post(admin, '/mail/send', { ...sendRequest, from: 'admin@pending-sender.test' }), 403, 'DOMAIN_NOT_ALLOWED');
  });

  it('refuses a token sending as an address it may not use with SENDER_NOT_AUTHORIZED (403)', async () => {
    const own = await createAddress(`own-${unique()}`);
    const key = await mailboxKey(admin, own.address);
    await expectError(await post(key.key, '/mail/send', { ...sendRequest, from: 'sender@yourdomain.com' }), 403, 'SENDER_NOT_AUTHORIZED');
    await expectError(await post(own.jwt, '/mail/send', { ...sendRequest, from: 'sender@yourdomain.com' }), 403, 'SENDER_NOT_AUTHORIZED');
    // As itself it may.
    expect((await post(key.key, '/mail/send', { ...sendRequest, from: own.address })).status).toBe(202);
  });

  it('checks the request: from, to and body are required, body needs text or html, headers may not set From', async () => {
    const { from: _from, ...noFrom } = sendRequest;
    const { to: _to, ...noTo } = sendRequest;
    const { body: _body, ...noBody } = sendRequest;
    for (const bad of [noFrom, noTo, noBody, { ...sendRequest, body: {} }, { ...sendRequest, headers: { From: 'x@yourdomain.com' } }, { ...sendRequest, to: ['not an address'] }]) {
      await expectError(await post(admin, '/mail/send', bad), 400, 'VALIDATION_FAILED');
    }
    const res = await mailapi(admin, '/mail/send', { method: 'POST', body: '{"from": ', headers: { 'content-type': 'application/json' } });
    await expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('takes attachments of several megabytes in the JSON, and refuses a body over 10 MiB with 413 before reading it', async () => {
    const rcpt = await createAddress(`big-${unique()}`);
    const threeMib = 'YWJj'.repeat(1024 * 1024); // "abc" × 1 Mi
    const big = { ...sendRequest, to: [rcpt.address], cc: [], bcc: [], attachments: [{ filename: 'big.bin', content: threeMib, content_type: 'application/octet-stream' }] };
    const sent = await ok(await post(admin, '/mail/send', big), 202);
    expect((await settledStatus(admin, sent.message_id)).status).toBe('sent');
    const [message] = (await ok(await mailapi(admin, `/mailbox/${rcpt.address}/messages`))).messages;
    const full = await ok(await mailapi(admin, `/mailbox/${rcpt.address}/messages/${message.uid}`));
    expect(full.attachments.map((a: any) => [a.filename, a.size])).toEqual([['big.bin', 3 * 1024 * 1024]]);
    const tooBig = { ...big, attachments: [{ ...big.attachments[0]!, content: 'A'.repeat(SEND_BODY_LIMIT) }] };
    await expectError(await post(admin, '/mail/send', tooBig), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers SEND_FAILED (500) when the message cannot be stored, and says nothing more', async () => {
    // Storage that fails: every accepted message goes to R2 (threshold 0), and R2 refuses writes.
    const failing = { ...testEnv.BLOBS, put: async () => { throw new Error('R2 is down'); } } as unknown as R2Bucket;
    const e = { ...envWith({ BLOB_THRESHOLD_BYTES: '0' }), BLOBS: failing };
    const body = await expectError(await post(admin, '/mail/send', sendRequest, e), 500, 'SEND_FAILED');
    expect(body.message).not.toContain('R2');
  });
});

describe('GET /mail/{message_id}/status', () => {
  it('reports the guide\'s example: one recipient sent with dsn_code 2.0.0 and delivered_at, one bounced with 5.1.1 and smtp_response', async () => {
    await createAddress('recipient1');
    const sent = await ok(await post(admin, '/mail/send', { from: 'sender@yourdomain.com', to: ['recipient1@example.com', 'recipient2@example.com'], subject: 'Hello', body: { text: 'hi' } }), 202);
    const status = await settledStatus(admin, sent.message_id);
    expectSameShape(status, STATUS_RESPONSE);
    // Both outcomes at once are "partial" in the guide's own list of statuses.
    expect(status).toMatchObject({ success: true, message_id: sent.message_id, status: 'partial' });
    expect(status.created_at).toMatch(GUIDE_TIME);
    expect(status.submitted_at).toMatch(GUIDE_TIME);
    const [first, second] = status.recipients;
    expect(Object.keys(first)).toEqual(['email', 'type', 'status', 'dsn_code', 'delivered_at']);
    expect(first).toMatchObject({ email: 'recipient1@example.com', type: 'to', status: 'sent', dsn_code: '2.0.0' });
    expect(first.delivered_at).toMatch(GUIDE_TIME);
    expect(Object.keys(second)).toEqual(['email', 'type', 'status', 'dsn_code', 'smtp_response']);
    expect(second).toMatchObject({ email: 'recipient2@example.com', type: 'to', status: 'bounced', dsn_code: '5.1.1' });
    expect(second.smtp_response).toMatch(/^550 5\.1\.1 /);
  });

  it('answers MESSAGE_NOT_FOUND (404) for an unknown id and for another sender\'s message', async () => {
    await expectError(await mailapi(admin, '/mail/em_doesnotexist000000000000/status'), 404, 'MESSAGE_NOT_FOUND');
    const sent = await ok(await post(admin, '/mail/send', { ...sendRequest, to: ['x@elsewhere.test'] }), 202);
    const stranger = await createAddress(`stranger-${unique()}`);
    await expectError(await mailapi(stranger.jwt, `/mail/${sent.message_id}/status`), 404, 'MESSAGE_NOT_FOUND');
  });
});

describe('GET /mail/sent', () => {
  it('lists sent messages newest first in the guide\'s fields, with total, limit and offset', async () => {
    const me = await createAddress(`lister-${unique()}`);
    const ids: string[] = [];
    for (const subject of ['Hello', 'Second', 'Third']) {
      ids.push((await ok(await post(me.jwt, '/mail/send', { from: me.address, to: ['recipient@example.com'], subject, body: { text: subject } }), 202)).message_id);
    }
    const all = await ok(await mailapi(me.jwt, '/mail/sent'));
    expectSameShape(all, SENT_RESPONSE);
    expect(all.total).toBe(3);
    expect(all.messages.map((m: any) => m.message_id)).toEqual([...ids].reverse());
    expect(all.messages[2]).toMatchObject({ message_id: ids[0], from: me.address, to: ['recipient@example.com'], subject: 'Hello' });
    expect(['submitted', 'bounced']).toContain(all.messages[2].status);
    const page = await ok(await mailapi(me.jwt, '/mail/sent?limit=1&offset=1'));
    expect(page.total).toBe(3);
    expect(page.messages.map((m: any) => m.message_id)).toEqual([ids[1]]);
    await expectError(await mailapi(me.jwt, '/mail/sent?limit=0'), 400, 'VALIDATION_FAILED');
  });
});
