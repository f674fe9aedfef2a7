import { describe, expect, it } from 'vitest';
import { bearer, call, createAddress, envWith, json } from '../helpers';
import { adminKey, v1 } from './helpers';
import { getEmail, sendEmail, settled } from './sending';

async function inbox(jwt: string) {
  return (await json(await call('/api/parsed_mails?limit=50', { headers: bearer(jwt) }))).results as any[];
}

async function only(jwt: string) {
  const list = await inbox(jwt);
  expect(list).toHaveLength(1);
  const full = await json(await call(`/api/parsed_mail/${list[0].id}`, { headers: bearer(jwt) }));
  const raw = await (await call(`/api/mails/${list[0].id}/raw`, { headers: bearer(jwt) })).text();
  return { ...full, raw, id: list[0].id };
}

describe('POST /api/v1/emails', () => {
  it('answers 202 with the documented data, ok and success, and delivers through the queue', async () => {
    const sender = await createAddress('v1-basic');
    const rcpt = await createAddress('v1-basic-rcpt');
    const res = await sendEmail(sender.jwt, { to: 'v1-basic-rcpt@example.com', subject: 'Welcome!', html: '<h1>Hi</h1>' });
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toMatchObject({ ok: true, success: true, data: { status: 'queued', to: 'v1-basic-rcpt@example.com', subject: 'Welcome!', scheduled_at: null } });
    expect(body.data.id).toMatch(/^em_[a-z0-9]{24}$/);
    expect(body.data.message_id).toMatch(/^<[a-z0-9]{24}@example\.com>$/);
    const email = await settled(sender.jwt, body.data.id);
    expect(email).toMatchObject({ status: 'delivered', from: { email: 'v1-basic@example.com' }, attempts: 1 });
    expect(email.recipients).toEqual([expect.objectContaining({ email: 'v1-basic-rcpt@example.com', type: 'to', status: 'delivered', via: 'internal', smtp_code: 250 })]);
    expect(email.events.map((e: any) => e.type)).toEqual(['accepted', 'delivered']);
    const mail = await only(rcpt.jwt);
    expect(mail.message_id).toBe(body.data.message_id);
    // Text is generated from the HTML when only HTML is given (html-to-text renders headings upper-case).
    expect(mail.text.trim()).toBe('HI');
    expect(mail.html).toContain('<h1>Hi</h1>');
  });

  it('accepts every documented field shape: from/to/cc/bcc as strings, "Name <a@b>", objects and arrays; html_body/text_body; reply_to; headers; tags', async () => {
    const key = await adminKey();
    const a = await createAddress('shape-a');
    const b = await createAddress('shape-b');
    const c = await createAddress('shape-c');
    const d = await createAddress('shape-d');
    const res = await sendEmail(key, {
      from: { email: 'shape-sender@example.com', name: 'Shape Sender' },
      to: ['Alice A <shape-a@example.com>', { email: 'shape-b@example.com', name: 'Bob B' }],
      cc: 'shape-c@example.com',
      bcc: { email: 'shape-d@example.com' },
      subject: 'Shapes',
      html_body: '<p>html body</p>',
      text_body: 'text body',
      reply_to: 'Replies <replies@example.com>',
      headers: { 'X-Campaign': 'spring', 'List-Unsubscribe': '<mailto:u@example.com>' },
      tags: ['welcome', { name: 'tier', value: 'gold' }],
    });
    expect(res.status).toBe(202);
    const { data } = await json(res);
    expect(data.to).toBe('shape-a@example.com, shape-b@example.com');
    const email = await settled(key, data.id);
    expect(email.tags).toEqual(['welcome', 'tier:gold']);
    expect(email.recipients.map((r: any) => [r.email, r.type, r.status])).toEqual([
      ['shape-a@example.com', 'to', 'delivered'],
      ['shape-b@example.com', 'to', 'delivered'],
      ['shape-c@example.com', 'cc', 'delivered'],
      ['shape-d@example.com', 'bcc', 'delivered'],
    ]);
    for (const who of [a, b, c, d]) expect(await inbox(who.jwt)).toHaveLength(1);
    const mail = await only(a.jwt);
    expect(mail.from).toEqual({ name: 'Shape Sender', address: 'shape-sender@example.com' });
    expect(mail.to).toEqual([{ name: 'Alice A', address: 'shape-a@example.com' }, { name: 'Bob B', address: 'shape-b@example.com' }]);
    expect(mail.cc).toEqual([{ name: '', address: 'shape-c@example.com' }]);
    expect(mail.reply_to).toEqual([{ name: 'Replies', address: 'replies@example.com' }]);
    expect(mail.text.trim()).toBe('text body');
    expect(mail.html).toContain('<p>html body</p>');
    expect(mail.headers).toEqual(expect.arrayContaining([{ key: 'x-campaign', value: 'spring' }]));
    // GET filters by tag.
    const tagged = await json(await v1(key, '/emails?tag=tier:gold'));
    expect(tagged.data.map((e: any) => e.id)).toEqual([data.id]);
  });

  it('delivers to Bcc recipients without any delivered header naming them; the Sent copy keeps them', async () => {
    const sender = await createAddress('bcc-sender');
    const to = await createAddress('bcc-to');
    const hidden = await createAddress('bcc-hidden');
    const res = await sendEmail(sender.jwt, { to: 'bcc-to@example.com', bcc: ['bcc-hidden@example.com'], subject: 'secret list', text: 'x' });
    await settled(sender.jwt, (await json(res)).data.id);
    for (const who of [to, hidden]) {
      const mail = await only(who.jwt);
      expect(mail.raw).not.toMatch(/^Bcc:/im);
      expect(mail.raw).not.toContain('bcc-hidden@example.com');
    }
    const sent = await json(await v1(sender.jwt, `/mailboxes/${encodeURIComponent('bcc-sender@example.com')}/messages?folder=Sent`));
    expect(sent.data).toHaveLength(1);
    const copy = await (await v1(sender.jwt, `/mailboxes/${encodeURIComponent('bcc-sender@example.com')}/messages/${sent.data[0].uid}/raw`)).text();
    expect(copy).toMatch(/^Bcc: bcc-hidden@example\.com\r\n/);
  });

  it('delivers attachments byte for byte, from base64 JSON and from multipart uploads', async () => {
    const sender = await createAddress('att-v1');
    const rcpt = await createAddress('att-v1-rcpt');
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13 + (i >> 7)) & 0xff);
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const json1 = await sendEmail(sender.jwt, {
      to: 'att-v1-rcpt@example.com',
      subject: 'json attachment',
      text: 'see attached',
      attachments: [{ filename: 'data.bin', content: btoa(binary), content_type: 'application/octet-stream' }],
    });
    expect(json1.status).toBe(202);
    const form = new FormData();
    form.append('to', 'att-v1-rcpt@example.com');
    form.append('subject', 'multipart attachment');
    form.append('text', 'two files');
    form.append('files[]', new File([bytes], 'upload.bin', { type: 'application/octet-stream' }));
    form.append('whatever', new File(['hello'], 'note.txt', { type: 'text/plain' }));
    const multi = await call('/api/v1/emails/send/multipart', { method: 'POST', headers: bearer(sender.jwt), body: form });
    expect(multi.status).toBe(202);
    const multiId = (await json(multi)).data.id;
    await settled(sender.jwt, (await json(json1)).data.id);
    const email = await settled(sender.jwt, multiId);
    // Each with an id, and its type and size also under seed 002's names.
    const stem = multiId.replace(/^em_/, '');
    expect(email.attachments).toEqual([
      { id: `att_${stem}_0`, filename: 'upload.bin', content_type: 'application/octet-stream', size: 200_000, contentType: 'application/octet-stream', sizeBytes: 200_000 },
      { id: `att_${stem}_1`, filename: 'note.txt', content_type: 'text/plain', size: 5, contentType: 'text/plain', sizeBytes: 5 },
    ]);
    // A JSON attachment's type may be given as contentType too.
    const camel = await sendEmail(sender.jwt, { to: 'someone@far.test', subject: 'camel', text: 'x', attachments: [{ filename: 'a.pdf', content: btoa('%PDF'), contentType: 'application/pdf' }] });
    expect(camel.status).toBe(202);
    expect((await settled(sender.jwt, (await json(camel)).data.id)).attachments[0]).toMatchObject({ filename: 'a.pdf', content_type: 'application/pdf', contentType: 'application/pdf', sizeBytes: 4 });
    const mails = await inbox(rcpt.jwt);
    expect(mails).toHaveLength(2);
    for (const m of mails) {
      const download = await call(`/api/mails/${m.id}/attachments/0`, { headers: bearer(rcpt.jwt) });
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    }
  });

  it('takes repeated and comma-separated address fields, JSON headers and tags in multipart forms', async () => {
    const sender = await createAddress('form-v1');
    const a = await createAddress('form-v1-a');
    const b = await createAddress('form-v1-b');
    const c = await createAddress('form-v1-c');
    const form = new FormData();
    form.append('to', 'form-v1-a@example.com');
    form.append('to', 'B Person <form-v1-b@example.com>');
    form.append('cc', 'form-v1-c@example.com, "Doe, Jane" <form-v1-c@example.com>');
    form.append('subject', 'form fields');
    form.append('html', '<p>hi</p>');
    form.append('headers', JSON.stringify({ 'X-Source': 'form' }));
    form.append('tags', 'one');
    form.append('tags', 'two');
    const res = await call('/api/v1/emails/send/multipart', { method: 'POST', headers: bearer(sender.jwt), body: form });
    expect(res.status).toBe(202);
    const email = await settled(sender.jwt, (await json(res)).data.id);
    expect(email.to).toBe('form-v1-a@example.com, form-v1-b@example.com');
    expect(email.tags).toEqual(['one', 'two']);
    for (const who of [a, b, c]) expect(await inbox(who.jwt)).toHaveLength(1);
    expect((await only(b.jwt)).headers).toEqual(expect.arrayContaining([{ key: 'x-source', value: 'form' }]));
    const tooMany = new FormData();
    tooMany.append('to', 'x@far.test');
    tooMany.append('subject', 's');
    tooMany.append('text', 't');
    for (let i = 0; i < 11; i++) tooMany.append(`f${i}`, new File(['x'], `f${i}.txt`));
    const refused = await call('/api/v1/emails/send/multipart', { method: 'POST', headers: bearer(sender.jwt), body: tooMany });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.param).toBe('attachments');
  });

  it('refuses a multipart body larger than any message it could send, and a message that would be too large', async () => {
    const e = envWith({ MAX_MESSAGE_BYTES: '100000' });
    const sender = await createAddress('form-big', undefined, e);
    const upload = (bytes: number) => {
      const form = new FormData();
      form.append('to', 'x@far.test');
      form.append('subject', 's');
      form.append('text', 't');
      form.append('file', new File([new Uint8Array(bytes)], 'big.bin'));
      return call('/api/v1/emails/send/multipart', { method: 'POST', headers: bearer(sender.jwt), body: form }, e);
    };
    const huge = await upload(1_200_000);
    expect(huge.status).toBe(413);
    expect((await json(huge)).error.code).toBe('payload_too_large');
    // Under the form limit, but base64 makes the message larger than MAX_MESSAGE_BYTES.
    const large = await upload(90_000);
    expect(large.status).toBe(413);
    expect((await upload(50_000)).status).toBe(202);
  });

  it('caps JSON bodies at 1 MiB with 413 naming the multipart door', async () => {
    const sender = await createAddress('cap-v1');
    const res = await sendEmail(sender.jwt, { to: 'x@far.test', subject: 's', text: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    const body = await json(res);
    expect(body).toMatchObject({ ok: false, success: false, error: { code: 'payload_too_large' } });
    expect(body.error.message).toContain('/emails/send/multipart');
  });

  it('refuses bad input with validation_failed and the field: addresses, body, headers, attachments, schedule, recipient count', async () => {
    const sender = await createAddress('bad-v1');
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: 's', text: 'x' }, 'to'],
      [{ to: 'not-an-address', subject: 's', text: 'x' }, 'to'],
      [{ to: 'Name <broken>', subject: 's', text: 'x' }, 'to'],
      [{ to: 'a@far.test', subject: 's' }, 'html'],
      [{ to: 'a@far.test', subject: 'a\r\nBcc: victim@far.test', text: 'x' }, 'subject'],
      [{ to: 'a@far.test', subject: 's', text: 'x', headers: { From: 'ceo@example.com' } }, 'headers.From'],
      [{ to: 'a@far.test', subject: 's', text: 'x', headers: { 'Content-Type': 'text/evil' } }, 'headers.Content-Type'],
      [{ to: 'a@far.test', subject: 's', text: 'x', headers: { 'X-Ok': 'a\nBcc: v@far.test' } }, 'headers.X-Ok'],
      [{ to: 'a@far.test', subject: 's', text: 'x', attachments: [{ filename: 'f', content: 'not base64!' }] }, 'attachments.0.content'],
      // Base64's characters, but no whole bytes: refused here, not later when the queue builds the message.
      [{ to: 'a@far.test', subject: 's', text: 'x', attachments: [{ filename: 'f', content: 'x' }] }, 'attachments.0.content'],
      [{ to: 'a@far.test', subject: 's', text: 'x', attachments: [{ filename: 'f', content: 'aGkx1' }] }, 'attachments.0.content'],
      [{ to: 'a@far.test', subject: 's', text: 'x', scheduled_at: 'tomorrow' }, 'scheduled_at'],
      [{ to: 'a@far.test', subject: 's', text: 'x', scheduled_at: new Date(Date.now() + 31 * 86_400_000).toISOString() }, 'scheduled_at'],
      [{ to: Array.from({ length: 30 }, (_, i) => `t${i}@far.test`), cc: Array.from({ length: 21 }, (_, i) => `c${i}@far.test`), subject: 's', text: 'x' }, 'to'],
    ];
    for (const [body, param] of cases) {
      const res = await sendEmail(sender.jwt, body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      const error = (await json(res)).error;
      expect(error.code).toBe('validation_failed');
      expect(error.param, JSON.stringify(body).slice(0, 120)).toBe(param);
    }
    expect((await json(await v1(sender.jwt, '/emails'))).data).toEqual([]);
  });

  it('POST /emails/send is the same door', async () => {
    const sender = await createAddress('alias-v1');
    await createAddress('alias-v1-rcpt');
    const res = await v1(sender.jwt, '/emails/send', { method: 'POST', body: JSON.stringify({ from: { email: 'alias-v1@example.com' }, to: { email: 'alias-v1-rcpt@example.com' }, subject: 'Welcome!', html_body: '<h1>Welcome</h1>' }) });
    expect(res.status).toBe(202);
    expect((await settled(sender.jwt, (await json(res)).data.id)).status).toBe('delivered');
  });

  it('lists newest first with cursor pagination and filters by status and date range', async () => {
    const sender = await createAddress('list-v1');
    await createAddress('list-v1-rcpt');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await sendEmail(sender.jwt, { to: 'list-v1-rcpt@example.com', subject: `n${i}`, text: 'x' }))).data.id);
    const later = (await json(await sendEmail(sender.jwt, { to: 'list-v1-rcpt@example.com', subject: 'later', text: 'x', scheduled_at: new Date(Date.now() + 3_600_000).toISOString() }))).data.id;
    const first = await json(await v1(sender.jwt, '/emails?limit=2'));
    expect(first.data.map((e: any) => e.id)).toEqual([later, ids[2]]);
    expect(first.meta).toMatchObject({ total: 4, limit: 2 });
    const second = await json(await v1(sender.jwt, `/emails?limit=2&cursor=${first.meta.next_cursor}`));
    expect(second.data.map((e: any) => e.id)).toEqual([ids[1], ids[0]]);
    expect(second.meta.next_cursor).toBeNull();
    expect((await json(await v1(sender.jwt, '/emails?status=scheduled'))).data.map((e: any) => e.id)).toEqual([later]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await json(await v1(sender.jwt, `/emails?created_after=${encodeURIComponent(future)}`))).data).toEqual([]);
    expect((await json(await v1(sender.jwt, `/emails?created_before=${encodeURIComponent(future)}`))).meta.total).toBe(4);
    expect((await getEmail(sender.jwt, later)).status).toBe('scheduled');
  });
});
