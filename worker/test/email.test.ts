import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/bytes';
import { admin, bearer, call, createAddress, deliver, deliverFixture, envWith, fixture, json, searchIndexSettled, TestEmailMessage } from './helpers';
import { adminKey, mailboxPath, v1 } from './v1/helpers';

async function parsedList(jwt: string) {
  return json<{ results: any[]; count: number }>(await call('/api/parsed_mails?limit=50', { headers: bearer(jwt) }));
}

async function parsedMail(jwt: string, id: number) {
  const res = await call(`/api/parsed_mail/${id}`, { headers: bearer(jwt) });
  expect(res.status).toBe(200);
  return json(res);
}

describe('email() receiving', () => {
  it('stores a multipart/alternative message with decoded text and html', async () => {
    const { jwt } = await createAddress('alt');
    await deliverFixture('multipart-alternative.eml', 'alt@example.com');
    const { results, count } = await parsedList(jwt);
    expect(count).toBe(1);
    expect(results[0]).toMatchObject({
      subject: 'Your verification code',
      from: { name: 'Alice Example', address: 'alice@sender.test' },
      to: [{ name: '', address: 'bob@example.com' }],
      source: 'alice@sender.test',
      address: 'alt@example.com',
      has_attachments: false,
      seen: false,
      date: '2026-03-02T10:00:00.000Z',
    });
    expect(results[0].snippet).toContain('Your code is 482913.');
    const mail = await parsedMail(jwt, results[0].id);
    expect(mail.text).toContain('Café ☕');
    expect(mail.html).toContain('<b>482913</b>');
    expect(mail.message_id).toBe('<alt-1@sender.test>');
    expect(mail.headers.find((h: any) => h.key === 'received')).toBeDefined();
  });

  it('previews and indexes an HTML-only newsletter as it reads: entities decoded, inline tags joined, padding skipped', async () => {
    const { jwt } = await createAddress('html-preview');
    const html =
      `<div style="display:none">Don&#39;t miss our sale${'&zwnj;&nbsp;'.repeat(120)}</div>` +
      '<h1>Caf&eacute; news</h1><p>Hello <b>Ann</b>, your code is <strong>482913</strong>.</p><p>S<span>ale</span> ends &ldquo;soon&rdquo;.</p>';
    const message = `From: news@sender.test\r\nTo: html-preview@example.com\r\nSubject: News\r\nMessage-ID: <html-preview@sender.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
    await deliver(new TestEmailMessage('news@sender.test', 'html-preview@example.com', new TextEncoder().encode(message)));
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.snippet).toBe('Don\'t miss our sale Café news Hello Ann, your code is 482913. Sale ends “soon”.');
    await searchIndexSettled();
    const key = await adminKey();
    const found = async (q: string) => (await json(await v1(key, `${mailboxPath('html-preview@example.com')}/search?q=${encodeURIComponent(q)}`))).data.map((m: any) => m.subject);
    expect(await found("don't miss")).toEqual(['News']);
    expect(await found('Ann, your code')).toEqual(['News']);
    expect(await found('Sale ends')).toEqual(['News']);
  });

  it('previews and indexes the start of a large HTML-only message, after megabytes of inline images, and keeps all of it', async () => {
    const { jwt } = await createAddress('big-html');
    const image = `<img src="data:image/png;base64,${'iVBORw0KGgo'.repeat(300_000)}">`;
    const html = `<html><body>${image}<p>Quarterly zebra report</p>${'<p>More of the report, paragraph after paragraph.</p>\r\n'.repeat(60_000)}<p>Last words</p></body></html>`;
    const message = `From: news@sender.test\r\nTo: big-html@example.com\r\nSubject: Report\r\nMessage-ID: <big-html@sender.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
    await deliver(new TestEmailMessage('news@sender.test', 'big-html@example.com', new TextEncoder().encode(message)));
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.snippet.startsWith('Quarterly zebra report More of the report')).toBe(true);
    await searchIndexSettled();
    const key = await adminKey();
    expect((await json(await v1(key, `${mailboxPath('big-html@example.com')}/search?q=zebra`))).data.map((m: any) => m.subject)).toEqual(['Report']);
    // The index holds the start of the body; the message itself is kept whole.
    const mail = await parsedMail(jwt, summary.id);
    expect(mail.html.trimEnd()).toBe(html.replace(/\r\n/g, '\n'));
  });

  it('keeps attachment metadata: filename (RFC 2231), type, size, content-id, disposition', async () => {
    const { jwt } = await createAddress('att');
    await deliverFixture('attachments.eml', 'att@example.com');
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.has_attachments).toBe(true);
    const mail = await parsedMail(jwt, summary.id);
    expect(mail.attachments).toEqual([
      { index: 0, filename: 'chart.png', content_type: 'image/png', size: 3008, content_id: '<chart@sender.test>', disposition: 'inline' },
      { index: 1, filename: 'résumé.pdf', content_type: 'application/pdf', size: 20016, content_id: null, disposition: 'attachment' },
      { index: 2, filename: 'data.csv', content_type: 'text/csv', size: 14, content_id: null, disposition: 'attachment' },
    ]);
    expect(mail.cc).toEqual([{ name: 'Dave', address: 'dave@example.com' }]);
    expect(mail.reply_to).toEqual([{ name: '', address: 'replies@sender.test' }]);
    expect(mail.to).toHaveLength(2);
  });

  it('keeps a nested message/rfc822 as a downloadable attachment', async () => {
    const { jwt } = await createAddress('fwd');
    await deliverFixture('nested-rfc822.eml', 'fwd@example.com');
    const [summary] = (await parsedList(jwt)).results;
    const mail = await parsedMail(jwt, summary.id);
    expect(mail.text).toContain('Forwarding this to you.');
    expect(mail.attachments[0]).toMatchObject({ filename: 'original.eml', content_type: 'message/rfc822' });
    const att = await call(`/api/mails/${summary.id}/attachments/0`, { headers: bearer(jwt) });
    expect(await att.text()).toContain('This is the forwarded original body.');
  });

  it.each([
    ['iso-8859-1.eml', 'Résumé reçu', 'Café crème, à bientôt. £100 ½ prière.'],
    ['shift-jis.eml', 'ご注文の確認', 'こんにちは世界。確認コードは 1234 です。'],
    ['gb2312.eml', '验证码通知', '你好，世界。您的验证码是 5678。'],
  ])('decodes %s subject and body from its charset', async (name, subject, body) => {
    const local = name.replace(/[^a-z0-9]/g, '');
    const { jwt } = await createAddress(local);
    await deliverFixture(name, `${local}@example.com`);
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.subject).toBe(subject);
    const mail = await parsedMail(jwt, summary.id);
    expect(mail.text.trim()).toBe(body);
  });

  it('decodes folded RFC 2047 encoded words in Subject and From', async () => {
    const { jwt } = await createAddress('subj');
    await deliverFixture('rfc2047-subject.eml', 'subj@example.com');
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.subject).toBe('Café ☕ naïve 😀');
    expect(summary.from).toEqual({ name: 'Jürgen Müller', address: 'jm@sender.test' });
  });

  it('stores malformed MIME raw, byte for byte, with whatever could be parsed', async () => {
    const { jwt } = await createAddress('broken');
    await deliverFixture('malformed.eml', 'broken@example.com');
    const { results, count } = await parsedList(jwt);
    expect(count).toBe(1);
    expect(results[0].subject).toBe('Broken message');
    const raw = await call(`/api/mails/${results[0].id}/raw`, { headers: bearer(jwt) });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(fixture('malformed.eml'));
  });

  it('stores MIME the parser refuses (multiparts nested past its depth limit) raw, byte for byte, with the header fields a scan finds', async () => {
    const { jwt } = await createAddress('too-deep');
    // postal-mime throws on more than 256 nested multiparts: the fallback, not the parser, handles this one.
    let text = 'From: deep@sender.test\r\nTo: too-deep@example.com\r\nSubject: Nested too deep\r\nMessage-ID: <too-deep@sender.test>\r\nMIME-Version: 1.0\r\n';
    for (let i = 0; i < 300; i++) text += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    text += 'Content-Type: text/plain\r\n\r\ndeep inside\r\n';
    for (let i = 299; i >= 0; i--) text += `--b${i}--\r\n`;
    const bytes = new TextEncoder().encode(text);
    const message = new TestEmailMessage('deep@sender.test', 'too-deep@example.com', bytes);
    await deliver(message);
    expect(message.rejected).toBeNull();
    const { results, count } = await parsedList(jwt);
    expect(count).toBe(1);
    expect(results[0].subject).toBe('Nested too deep');
    const mail = await parsedMail(jwt, results[0].id);
    expect(mail.message_id).toBe('<too-deep@sender.test>');
    expect(mail.parse_error).toMatch(/nesting depth/);
    const raw = await call(`/api/mails/${results[0].id}/raw`, { headers: bearer(jwt) });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(bytes);
  });

  it('stores a retried delivery only once, with or without a Message-ID', async () => {
    const { jwt } = await createAddress('retry');
    for (let i = 0; i < 3; i++) {
      await deliverFixture('multipart-alternative.eml', 'retry@example.com');
      await deliverFixture('no-message-id.eml', 'retry@example.com');
    }
    const { count, results } = await parsedList(jwt);
    expect(count).toBe(2);
    expect(results).toHaveLength(2);
  });

  it('lowercases the recipient so Bob@Example.com reaches bob@example.com', async () => {
    const { jwt } = await createAddress('casey');
    await deliverFixture('no-message-id.eml', 'Casey@Example.COM');
    expect((await parsedList(jwt)).count).toBe(1);
  });
});

describe('email() recipient policy', () => {
  it('rejects an unknown address under the "reject" policy and stores nothing', async () => {
    const message = await deliverFixture('no-message-id.eml', 'nobody-here@example.com');
    expect(message.rejected).toMatch(/no such mailbox/i);
    const res = await call('/admin/addresses?query=nobody-here', { headers: admin });
    expect((await json(res)).count).toBe(0);
  });

  it('delivers alice+tag@ to alice@ (subaddressing, RFC 5233); a tag on an unknown mailbox is still unknown', async () => {
    const { jwt } = await createAddress('tagged');
    const message = await deliverFixture('no-message-id.eml', 'Tagged+Shop.2026@example.com');
    expect(message.rejected).toBeNull();
    expect((await parsedList(jwt)).count).toBe(1);
    for (const to of ['nobody-tagged+shop@example.com', '+shop@example.com']) {
      expect((await deliverFixture('no-message-id.eml', to)).rejected, to).toMatch(/no such mailbox/i);
    }
    // Under "create", the mailbox created is the one before the tag.
    const e = envWith({ CATCH_ALL: 'create' });
    expect((await deliverFixture('no-message-id.eml', 'made+news@mail.test', e)).rejected).toBeNull();
    const made = await json(await call('/admin/addresses?query=made', { headers: admin }, e));
    expect(made.results.map((r: { address: string }) => r.address)).toEqual(['made@mail.test']);
  });

  it('rejects mail for a domain that is not in DOMAINS', async () => {
    const message = await deliverFixture('no-message-id.eml', 'bob@other.test');
    expect(message.rejected).toMatch(/does not accept mail/);
  });

  it('creates the address on first mail under the "create" policy', async () => {
    const e = envWith({ CATCH_ALL: 'create' });
    const message = await deliverFixture('no-message-id.eml', 'fresh.user@mail.test', e);
    expect(message.rejected).toBeNull();
    const res = await call('/admin/addresses?query=fresh.user', { headers: admin }, e);
    const body = await json(res);
    expect(body.results).toEqual([expect.objectContaining({ address: 'fresh.user@mail.test', mail_count: 1 })]);
  });

  it('still rejects an invalid local part under the "create" policy', async () => {
    const e = envWith({ CATCH_ALL: 'create' });
    const message = await deliverFixture('no-message-id.eml', '"weird name"@mail.test', e);
    expect(message.rejected).not.toBeNull();
  });
});

describe('email() size limit', () => {
  it('rejects a message whose declared size exceeds MAX_MESSAGE_BYTES without reading it', async () => {
    await createAddress('big');
    const message = new TestEmailMessage('a@sender.test', 'big@example.com', fixture('no-message-id.eml'), { rawSize: 26 * 1024 * 1024 });
    await deliver(message);
    expect(message.rejected).toMatch(/too large/);
  });

  it('rejects a stream longer than the limit even when the declared size lies', async () => {
    const { jwt } = await createAddress('liar');
    const e = envWith({ MAX_MESSAGE_BYTES: '4096' });
    const big = new TextEncoder().encode(`Subject: big\r\n\r\n${'x'.repeat(10_000)}\r\n`);
    const message = new TestEmailMessage('a@sender.test', 'liar@example.com', big, { rawSize: 100 });
    await deliver(message, e);
    expect(message.rejected).toMatch(/too large/);
    expect((await parsedList(jwt)).count).toBe(0);
  });

  it('accepts a message of exactly MAX_MESSAGE_BYTES, and rejects one byte more whether or not its declared size says so', async () => {
    const { jwt } = await createAddress('at-limit');
    const e = envWith({ MAX_MESSAGE_BYTES: '4096' });
    const sized = (bytes: number, subject: string) => {
      const head = `From: a@sender.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@sender.test>\r\n\r\n`;
      return new TextEncoder().encode(head + 'x'.repeat(bytes - head.length));
    };
    const exact = new TestEmailMessage('a@sender.test', 'at-limit@example.com', sized(4096, 'exact'));
    expect(exact.rawSize).toBe(4096);
    await deliver(exact, e);
    expect(exact.rejected).toBeNull();
    const over = new TestEmailMessage('a@sender.test', 'at-limit@example.com', sized(4097, 'over'));
    await deliver(over, e);
    expect(over.rejected).toMatch(/too large/);
    const overUnderclaimed = new TestEmailMessage('a@sender.test', 'at-limit@example.com', sized(4097, 'under'), { rawSize: 4096 });
    await deliver(overUnderclaimed, e);
    expect(overUnderclaimed.rejected).toMatch(/too large/);
    expect((await parsedList(jwt)).results.map((m) => m.subject)).toEqual(['exact']);
  });

  it('keeps a 2 MB message and its attachment in R2 above the threshold, downloadable byte for byte', async () => {
    const { jwt } = await createAddress('huge');
    const payload = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
    let b64 = '';
    for (let i = 0; i < payload.length; i += 0x8000) b64 += String.fromCharCode(...payload.subarray(i, i + 0x8000));
    b64 = btoa(b64).replace(/.{76}/g, '$&\r\n');
    const raw = new TextEncoder().encode(
      `From: a@sender.test\r\nTo: huge@example.com\r\nSubject: big file\r\nMessage-ID: <huge@sender.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=blob.bin\r\n\r\n${b64}\r\n--b--\r\n`,
    );
    await deliver(new TestEmailMessage('a@sender.test', 'huge@example.com', raw));
    const [summary] = (await parsedList(jwt)).results;
    expect(summary.size).toBe(raw.byteLength);
    const listed = await testEnvBlobKeys();
    expect(listed.some((k) => k.endsWith('raw.eml'))).toBe(true);
    const att = await call(`/api/mails/${summary.id}/attachments/0`, { headers: bearer(jwt) });
    expect(await sha256Hex(new Uint8Array(await att.arrayBuffer()))).toBe(await sha256Hex(payload));
    const rawRes = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(await sha256Hex(new Uint8Array(await rawRes.arrayBuffer()))).toBe(await sha256Hex(raw));
  });
});

describe('email() forwarding', () => {
  it('forwards every stored message to each FORWARD_TO destination', async () => {
    await createAddress('fw');
    const e = envWith({ FORWARD_TO: 'me@personal.test, backup@personal.test' });
    const message = await deliverFixture('no-message-id.eml', 'fw@example.com', e);
    expect(message.forwarded).toEqual(['me@personal.test', 'backup@personal.test']);
  });

  it('keeps the delivery when a forward fails: the message is stored, the other destinations get theirs, the failure is logged', async () => {
    const { jwt } = await createAddress('fw-fail');
    const e = envWith({ FORWARD_TO: 'unverified@personal.test, me@personal.test' });
    const message = new (class extends TestEmailMessage {
      override async forward(rcptTo: string) {
        if (rcptTo.startsWith('unverified@')) throw new Error('destination address not verified');
        return super.forward(rcptTo);
      }
    })('a@sender.test', 'fw-fail@example.com', new TextEncoder().encode('From: a@sender.test\r\nSubject: kept\r\nMessage-ID: <fw-fail@x>\r\n\r\nbody\r\n'));
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => void errors.push(line);
    try {
      await deliver(message, e);
    } finally {
      console.error = original;
    }
    expect(message.rejected).toBeNull();
    expect(message.forwarded).toEqual(['me@personal.test']);
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results.map((m: any) => m.subject)).toEqual(['kept']);
    expect(errors.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ event: 'forward_failed', destination: 'unverified@personal.test', error: 'destination address not verified' }),
    ]);
  });

  it('does not forward a rejected message', async () => {
    const e = envWith({ FORWARD_TO: 'me@personal.test' });
    const message = await deliverFixture('no-message-id.eml', 'unknown-fw@example.com', e);
    expect(message.forwarded).toEqual([]);
  });
});

async function testEnvBlobKeys(): Promise<string[]> {
  const { testEnv } = await import('./helpers');
  return (await testEnv.BLOBS.list()).objects.map((o) => o.key);
}
