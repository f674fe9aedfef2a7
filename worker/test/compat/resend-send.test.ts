/**
 * The Resend door's sending in workerd: Resend's fields become the message the sending service
 * delivers (checked in the bytes an SMTP relay receives), and the door answers in Resend's shapes.
 */
import PostalMime from 'postal-mime';
import { describe, expect, inject, it } from 'vitest';
import { bearer, call, createAddress, envWith, json } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';
import { relayReceived, runQueue, smtpEnv } from '../v1/sending';
import { b64, post, resend, sendOk, unique } from './resend-helpers';

const PDF = new Uint8Array([37, 80, 68, 70, 0, 1, 2, 254, 255, 128, 10, 13]);
const files = () => inject('filesUrl');

async function delivered(tag: string) {
  const raw = (await relayReceived()).find((m) => m.to.some((t) => t.includes(tag)))?.raw;
  expect(raw, `nothing relayed for ${tag}`).toBeDefined();
  return { raw: raw!, parsed: await PostalMime.parse(raw!, { attachmentEncoding: 'arraybuffer' }) };
}

describe('Resend door: POST /emails', () => {
  it('sends every Resend field: names, cc, bcc, several reply-to, headers, tags, and attachments as base64, number array or Buffer JSON', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`rs-${unique()}`, undefined, e);
    const tag = unique();
    const id = await sendOk(
      sender.jwt,
      {
        from: `Acme Team <${sender.address}>`,
        to: `Bob <bob-${tag}@far.test>`,
        cc: [`carol-${tag}@far.test`],
        bcc: [`dave-${tag}@far.test`],
        reply_to: ['help@example.com', 'Ops <ops@example.com>'],
        subject: 'Your invoice',
        html: '<p>Hello <b>Bob</b></p>',
        text: 'Hello Bob',
        headers: { 'X-Entity-Ref-ID': 'inv-42' },
        tags: [{ name: 'category', value: 'invoice' }, { name: 'tenant_id', value: 'a-1' }],
        attachments: [
          { filename: 'invoice.pdf', content: b64(PDF) },
          { filename: 'bytes.bin', content: Array.from(PDF), content_type: 'application/x-custom' },
          { filename: 'buffer.txt', content: { type: 'Buffer', data: [104, 105] } },
        ],
      },
      e,
    );
    expect(id).toMatch(/^em_/);
    await runQueue(e, id);
    const { raw, parsed } = await delivered(tag);
    expect(parsed.from).toEqual({ name: 'Acme Team', address: sender.address });
    expect(parsed.to).toEqual([{ name: 'Bob', address: `bob-${tag}@far.test` }]);
    expect(parsed.cc).toEqual([{ name: '', address: `carol-${tag}@far.test` }]);
    expect(raw).not.toContain(`dave-${tag}`);
    expect(parsed.replyTo).toEqual([{ name: '', address: 'help@example.com' }, { name: 'Ops', address: 'ops@example.com' }]);
    expect(raw).toContain('X-Entity-Ref-ID: inv-42');
    expect(parsed.text?.trim()).toBe('Hello Bob');
    const attachments = parsed.attachments.map((a) => ({ name: a.filename, type: a.mimeType, bytes: Array.from(new Uint8Array(a.content as ArrayBuffer)) }));
    expect(attachments).toEqual([
      { name: 'invoice.pdf', type: 'application/pdf', bytes: Array.from(PDF) },
      { name: 'bytes.bin', type: 'application/x-custom', bytes: Array.from(PDF) },
      { name: 'buffer.txt', type: 'text/plain', bytes: [104, 105] },
    ]);
    // The same email through /api/v1: tags stored as name:value, bcc kept in the record.
    const v1Email = (await json(await call(`/api/v1/emails/${id}`, { headers: bearer(sender.jwt) }, e))).data;
    expect(v1Email.tags).toEqual(['category:invoice', 'tenant_id:a-1']);
    expect(v1Email.bcc).toEqual([`dave-${tag}@far.test`]);
  });

  it('answers 200 with only the id, and GET /emails/{id} gives Resend\'s email object', async () => {
    const sender = await createAddress(`rs-get-${unique()}`);
    const body = {
      from: `Acme <${sender.address}>`,
      to: ['one@far.test', 'two@far.test'],
      reply_to: 'help@example.com',
      subject: 'Hi',
      html: '<p>Hi</p>',
      tags: [{ name: 'kind', value: 'welcome' }],
    };
    const sent = await post(sender.jwt, '/emails', { ...body, scheduled_at: 'in 1 hour' });
    expect(sent.status).toBe(200);
    const answer = await json(sent);
    const { id } = answer;
    expect(answer).toEqual({ id: expect.stringMatching(/^em_/) });
    const res = await resend(sender.jwt, `/emails/${id}`);
    expect(res.status).toBe(200);
    const email = await json(res);
    expect(email).toEqual({
      object: 'email',
      id,
      message_id: expect.stringMatching(/^<.+@example\.com>$/),
      from: `Acme <${sender.address}>`,
      to: ['one@far.test', 'two@far.test'],
      cc: null,
      bcc: null,
      reply_to: ['help@example.com'],
      subject: 'Hi',
      html: '<p>Hi</p>',
      text: null,
      tags: [{ name: 'kind', value: 'welcome' }],
      created_at: expect.any(String),
      scheduled_at: expect.any(String),
      last_event: 'scheduled',
    });
    expect(Date.parse(email.created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reads the bodies and Reply-To of a dispatched email back from the message that was sent', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`rs-sent-${unique()}`, undefined, e);
    const id = await sendOk(sender.jwt, { from: sender.address, to: `s-${unique()}@far.test`, reply_to: ['a@example.com', 'b@example.com'], subject: 'Sent', html: '<p>Sent <b>body</b></p>' }, e);
    await runQueue(e, id);
    const email = await json(await resend(sender.jwt, `/emails/${id}`, {}, e));
    expect(email.last_event).toBe('sent');
    expect(email.html).toContain('<p>Sent <b>body</b></p>');
    expect(email.text).toContain('Sent body');
    expect(email.reply_to).toEqual(['a@example.com', 'b@example.com']);
  });

  it('schedules with natural language, reschedules with PATCH and cancels, answering { object, id }', async () => {
    const sender = await createAddress(`rs-sched-${unique()}`);
    const before = Date.now();
    const id = await sendOk(sender.jwt, { from: sender.address, to: 'later@far.test', subject: 'Later', text: 'x', scheduled_at: 'in 1 hour' });
    let email = await json(await resend(sender.jwt, `/emails/${id}`));
    expect(email.last_event).toBe('scheduled');
    expect(Math.abs(Date.parse(email.scheduled_at) - (before + 3_600_000))).toBeLessThan(30_000);

    const patched = await resend(sender.jwt, `/emails/${id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: 'tomorrow at 9am' }) });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toEqual({ object: 'email', id });
    email = await json(await resend(sender.jwt, `/emails/${id}`));
    const nine = new Date(email.scheduled_at);
    expect([nine.getUTCHours(), nine.getUTCMinutes()]).toEqual([9, 0]);
    expect(nine.getTime() - Date.now()).toBeGreaterThan(0);
    expect(nine.getTime() - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);

    const iso = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect((await resend(sender.jwt, `/emails/${id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: iso }) })).status).toBe(200);
    expect((await json(await resend(sender.jwt, `/emails/${id}`))).scheduled_at).toBe(iso);

    const cancelled = await resend(sender.jwt, `/emails/${id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(await json(cancelled)).toEqual({ object: 'email', id });
    expect((await json(await resend(sender.jwt, `/emails/${id}`))).last_event).toBe('canceled');
  });

  it('fetches attachments given by path when the server allows it, keeping their place among the others', async () => {
    const e = { ...smtpEnv({ REMOTE_ATTACHMENTS: 'any' }) };
    const sender = await createAddress(`rs-path-${unique()}`, undefined, e);
    const tag = unique();
    const id = await sendOk(
      sender.jwt,
      {
        from: sender.address,
        to: `p-${tag}@far.test`,
        subject: 'Report',
        text: 'attached',
        attachments: [{ filename: 'first.txt', content: btoa('one') }, { path: `${files()}/files/report.pdf` }, { path: `${files()}/files/notes`, filename: 'notes.txt' }],
      },
      e,
    );
    await runQueue(e, id);
    const { parsed } = await delivered(tag);
    expect(parsed.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['first.txt', 'text/plain'],
      ['report.pdf', 'application/pdf'],
      ['notes.txt', 'text/plain'],
    ]);
    expect(new Uint8Array(parsed.attachments[1]!.content as ArrayBuffer).byteLength).toBe(272);
  });

  it('sends as any address for an admin key, and as the session user\'s own address for a session token', async () => {
    const admin = await adminKey();
    const id = await sendOk(admin, { from: 'Newsletter <news@example.com>', to: 'reader@far.test', subject: 'News', text: 'x' });
    expect((await json(await resend(admin, `/emails/${id}`))).from).toBe('Newsletter <news@example.com>');
    // An admin sees every sender's mail in the list.
    const list = await json(await resend(admin, '/emails?limit=100'));
    expect(list.data.map((m: { id: string }) => m.id)).toContain(id);
    expect((await v1(admin, `/emails/${id}`)).status).toBe(200);
  });

  it('honours Idempotency-Key: the same key and body replay the first answer, and nothing is sent twice', async () => {
    const sender = await createAddress(`rs-idem-${unique()}`);
    const body = { from: sender.address, to: 'x@far.test', subject: 'once', text: 'x' };
    const first = await post(sender.jwt, '/emails', body, { 'Idempotency-Key': 'welcome/123' });
    const again = await post(sender.jwt, '/emails', body, { 'Idempotency-Key': 'welcome/123' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await json(again)).toEqual(await json(first));
    expect((await json(await resend(sender.jwt, '/emails'))).data).toHaveLength(1);
  });

  it('sends Resend\'s rate-limit headers on every answer', async () => {
    const sender = await createAddress(`rs-rl-${unique()}`);
    const res = await resend(sender.jwt, '/emails', {}, envWith({ V1_RATE_READ_PER_MINUTE: '7' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('7');
    expect(res.headers.get('ratelimit-remaining')).toBe('6');
    expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);
  });
});
