import { describe, expect, inject, it } from 'vitest';
import { admin, bearer, call, createAddress, envWith, json } from './helpers';

const send = (jwt: string, body: unknown, e?: Env) =>
  call('/api/send_mail', { method: 'POST', headers: bearer(jwt), body: typeof body === 'string' ? body : JSON.stringify(body) }, e);

async function inbox(jwt: string) {
  return json(await call('/api/parsed_mails?limit=50', { headers: bearer(jwt) }));
}

async function onlyMessage(jwt: string) {
  const { results } = await inbox(jwt);
  expect(results).toHaveLength(1);
  const full = await json(await call(`/api/parsed_mail/${results[0].id}`, { headers: bearer(jwt) }));
  const raw = await (await call(`/api/mails/${results[0].id}/raw`, { headers: bearer(jwt) })).text();
  return { ...full, raw };
}

describe('POST /api/send_mail', () => {
  it('accepts the existing clients\' exact request and delivers to our own domain internally', async () => {
    const sender = await createAddress('compat-sender');
    const rcpt = await createAddress('compat-rcpt');
    // Byte for byte what the existing clients send.
    const body = '{"from_name":"Sender","to_name":"Receiver","to_mail":"compat-rcpt@example.com","subject":"Hello","is_html":false,"content":"Plain body"}';
    const res = await send(sender.jwt, body);
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result).toMatchObject({ status: 'ok', delivery_status: 'sent', recipients: [{ address: 'compat-rcpt@example.com', status: 'sent', via: 'internal' }] });
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.from).toEqual({ name: 'Sender', address: 'compat-sender@example.com' });
    expect(mail.to).toEqual([{ name: 'Receiver', address: 'compat-rcpt@example.com' }]);
    expect(mail.subject).toBe('Hello');
    expect(mail.text.trim()).toBe('Plain body');
    expect(mail.message_id).toBe(result.message_id);
    expect(mail.message_id).toMatch(/^<[a-z0-9]{24}@example\.com>$/);
    expect(mail.raw).toMatch(/^Date: .+\+0000$/m);
  });

  it('sends HTML when is_html is true, and text+html as multipart/alternative', async () => {
    const sender = await createAddress('html-sender');
    const rcpt = await createAddress('html-rcpt');
    await send(sender.jwt, { to_mail: 'html-rcpt@example.com', subject: 'one', is_html: true, content: '<b>bold</b>' });
    await send(sender.jwt, { to_mail: 'html-rcpt@example.com', subject: 'two', text: 'plain version', html: '<p>html version</p>' });
    const { results } = await inbox(rcpt.jwt);
    const [two, one] = await Promise.all(results.map(async (m: any) => json(await call(`/api/parsed_mail/${m.id}`, { headers: bearer(rcpt.jwt) }))));
    expect(one.html).toContain('<b>bold</b>');
    expect(two.text.trim()).toBe('plain version');
    expect(two.html).toContain('<p>html version</p>');
    const raw = await (await call(`/api/mails/${results[0].id}/raw`, { headers: bearer(rcpt.jwt) })).text();
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
  });

  it('encodes non-ASCII names and subjects (RFC 2047) and the recipient decodes them', async () => {
    const sender = await createAddress('utf-sender');
    const rcpt = await createAddress('utf-rcpt');
    await send(sender.jwt, { from_name: 'Jürgen 山田', to_name: 'Zoë', to_mail: 'utf-rcpt@example.com', subject: 'Grüße — 你好 😀', content: 'naïve café' });
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.raw).toMatch(/^Subject: =\?utf-8\?B\?/m);
    expect(mail.raw).not.toMatch(/[^\x00-\x7f]/);
    expect(mail.subject).toBe('Grüße — 你好 😀');
    expect(mail.from.name).toBe('Jürgen 山田');
    expect(mail.to[0].name).toBe('Zoë');
    expect(mail.text.trim()).toBe('naïve café');
  });

  it('sends to a list, with cc and bcc; bcc recipients get it but never appear in headers', async () => {
    const sender = await createAddress('multi-sender');
    const a = await createAddress('multi-a');
    const b = await createAddress('multi-b');
    const c = await createAddress('multi-c');
    const d = await createAddress('multi-d');
    const res = await send(sender.jwt, { to_mail: ['multi-a@example.com', 'multi-b@example.com'], cc: ['multi-c@example.com'], bcc: ['multi-d@example.com'], subject: 's', content: 'x', reply_to: 'replies@example.com' });
    expect((await json(res)).recipients).toHaveLength(4);
    for (const who of [a, b, c, d]) expect((await inbox(who.jwt)).count).toBe(1);
    const mail = await onlyMessage(d.jwt);
    expect(mail.to.map((m: any) => m.address)).toEqual(['multi-a@example.com', 'multi-b@example.com']);
    expect(mail.cc.map((m: any) => m.address)).toEqual(['multi-c@example.com']);
    expect(mail.reply_to).toEqual([{ name: '', address: 'replies@example.com' }]);
    expect(mail.raw).not.toMatch(/^Bcc:/im);
    expect(mail.raw).not.toContain('multi-d@example.com');
  });

  it('round-trips attachments: send, internal delivery, download identical bytes', async () => {
    const sender = await createAddress('att-sender');
    const rcpt = await createAddress('att-rcpt');
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const res = await send(sender.jwt, {
      to_mail: 'att-rcpt@example.com',
      subject: 'files',
      content: 'see attached',
      attachments: [
        { filename: 'data.bin', content: btoa(binary), content_type: 'application/octet-stream' },
        { filename: 'résumé.txt', content: btoa('hello'), content_type: 'text/plain' },
      ],
    });
    expect(res.status).toBe(200);
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.attachments.map((a: any) => [a.filename, a.size])).toEqual([['data.bin', 70_000], ['résumé.txt', 5]]);
    const [summary] = (await inbox(rcpt.jwt)).results;
    const download = await call(`/api/mails/${summary.id}/attachments/0`, { headers: bearer(rcpt.jwt) });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  it('sets In-Reply-To and References from a stored message with in_reply_to', async () => {
    const alice = await createAddress('thread-a');
    const bob = await createAddress('thread-b');
    const first = await json(await send(alice.jwt, { to_mail: 'thread-b@example.com', subject: 'Question', content: '?' }));
    const [received] = (await inbox(bob.jwt)).results;
    await send(bob.jwt, { to_mail: 'thread-a@example.com', subject: 'Re: Question', content: '!', in_reply_to: received.id });
    const reply = await onlyMessage(alice.jwt);
    expect(reply.in_reply_to).toBe(first.message_id);
    expect(reply.references).toBe(first.message_id);
    const wrong = await send(bob.jwt, { to_mail: 'thread-a@example.com', subject: 'x', content: 'x', in_reply_to: 999999 });
    expect(wrong.status).toBe(404);
  });

  it('passes custom headers and refuses header injection', async () => {
    const sender = await createAddress('hdr-sender');
    const rcpt = await createAddress('hdr-rcpt');
    expect((await send(sender.jwt, { to_mail: 'hdr-rcpt@example.com', subject: 's', content: 'x', headers: { 'X-Campaign': 'spring', 'List-Unsubscribe': '<mailto:u@example.com>' } })).status).toBe(200);
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.headers).toEqual(expect.arrayContaining([{ key: 'x-campaign', value: 'spring' }]));

    const attempts = [
      { subject: 'hi\r\nBcc: victim@example.org', content: 'x' },
      { subject: 's', from_name: 'Eve\nBcc: victim@example.org', content: 'x' },
      { subject: 's', content: 'x', headers: { 'X-Evil': 'a\r\nBcc: victim@example.org' } },
      { subject: 's', content: 'x', headers: { 'Bad Name': 'v' } },
      { subject: 's', content: 'x', headers: { From: 'ceo@example.com' } },
      { subject: 's', content: 'x', headers: { bcc: 'victim@example.org' } },
      { subject: 's', content: 'x', attachments: [{ filename: 'a\r\n.txt', content: 'aGk=' }] },
    ];
    for (const attempt of attempts) {
      const res = await send(sender.jwt, { to_mail: 'hdr-rcpt@example.com', ...attempt });
      expect(res.status, JSON.stringify(attempt)).toBe(400);
      expect((await json(res)).error.code).toBe('validation_failed');
    }
    expect((await inbox(rcpt.jwt)).count).toBe(1);
  });

  it('refuses custom headers a sender must not forge or that would break the structure, naming each', async () => {
    const sender = await createAddress('forge-sender');
    const rcpt = await createAddress('forge-rcpt');
    const refused = [
      'Authentication-Results', 'ARC-Seal', 'DKIM-Signature', 'Received', 'Received-SPF', 'Return-Path', 'Delivered-To',
      'Content-ID', 'Content-Type', 'content-transfer-encoding', 'MIME-Version',
      'Resent-From', 'Resent-To', 'resent-message-id',
      'Disposition-Notification-To', 'Return-Receipt-To',
      'Sender', 'Message-ID', 'Date',
    ];
    for (const name of refused) {
      for (const path of ['/api/send_mail', '/external/api/send_mail']) {
        const body = { to_mail: 'forge-rcpt@example.com', subject: 's', content: 'x', headers: { [name]: 'v' } };
        const res = path === '/api/send_mail'
          ? await send(sender.jwt, body)
          : await call(path, { method: 'POST', body: JSON.stringify({ ...body, token: sender.jwt }) });
        expect(res.status, `${path} ${name}`).toBe(400);
        const { error } = await json(res);
        expect(error.code).toBe('validation_failed');
        expect(error.param).toBe(`headers.${name}`);
        // The reason, not just the name: a sender needs to know what to use instead.
        expect(error.message).toMatch(new RegExp(`^headers\\.${name}: ${name} (is set by the server|would change the message's MIME structure|belongs to resending|is added by receiving servers|\\(read-receipt requests\\) is not supported)`));
      }
    }
    expect((await inbox(rcpt.jwt)).count).toBe(0);
    // What senders legitimately add still goes through, non-ASCII values encoded.
    const headers = { 'List-Unsubscribe': '<mailto:unsub@example.com>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated', 'X-Note': 'Grüße' };
    expect((await send(sender.jwt, { to_mail: 'forge-rcpt@example.com', subject: 's', content: 'x', headers })).status).toBe(200);
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.raw).toContain('\r\nX-Note: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\r\n');
    expect(mail.headers).toEqual(expect.arrayContaining([
      { key: 'list-unsubscribe', value: '<mailto:unsub@example.com>' },
      { key: 'list-unsubscribe-post', value: 'List-Unsubscribe=One-Click' },
      { key: 'auto-submitted', value: 'auto-generated' },
    ]));
  });

  it('refuses a header value with a word too long to fold, and a malformed content_id, with 400', async () => {
    const sender = await createAddress('long-sender');
    const cases: [unknown, string][] = [
      [{ headers: { 'X-Token': 'x'.repeat(950) } }, 'headers.X-Token'],
      [{ attachments: [{ filename: 'a.png', content: 'aGk=', content_id: 'has space' }] }, 'attachments.0.content_id'],
      [{ attachments: [{ filename: 'a.png', content: 'aGk=', content_id: 'a>b' }] }, 'attachments.0.content_id'],
      [{ attachments: [{ filename: 'a.bin', content: 'aGkx1' }] }, 'attachments.0.content'],
    ];
    for (const [extra, param] of cases) {
      const res = await send(sender.jwt, { to_mail: 'x@example.com', subject: 's', content: 'x', ...(extra as object) });
      expect(res.status, JSON.stringify(extra).slice(0, 80)).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param });
    }
  });

  it('validates the body: recipients, body presence, base64', async () => {
    const sender = await createAddress('val-sender');
    const cases: [unknown, string][] = [
      [{ subject: 's', content: 'x' }, 'to_mail'],
      [{ to_mail: 'not-an-email', subject: 's', content: 'x' }, 'to_mail'],
      [{ to_mail: 'a@example.com', subject: 's' }, 'content'],
      [{ to_mail: 'a@example.com', subject: 's', content: 'x', is_html: 'yes' }, 'is_html'],
      [{ to_mail: 'a@example.com', subject: 's', content: 'x', attachments: [{ filename: 'f', content: 'not base64!' }] }, 'attachments.0.content'],
    ];
    for (const [body, param] of cases) {
      const res = await send(sender.jwt, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.param).toBe(param);
    }
  });

  it('always sends as the token\'s own address: another address cannot be impersonated', async () => {
    const mallory = await createAddress('mallory');
    const victim = await createAddress('victim');
    const rcpt = await createAddress('imp-rcpt');
    await send(mallory.jwt, { from_name: 'Victim', to_mail: 'imp-rcpt@example.com', subject: 's', content: 'x', from: 'victim@example.com' });
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.from.address).toBe('mallory@example.com');
    expect((await json(await call('/api/sendbox', { headers: bearer(victim.jwt) }))).count).toBe(0);
    // A revoked token cannot send at all.
    await call('/api/rotate_token', { method: 'POST', headers: bearer(mallory.jwt) });
    const res = await send(mallory.jwt, { to_mail: 'imp-rcpt@example.com', subject: 's', content: 'x' });
    expect(res.status).toBe(401);
  });

  it('keeps a message sent to its own address twice: received in the inbox and as sent in Sent', async () => {
    const me = await createAddress('self-send');
    const res = await send(me.jwt, { to_mail: 'self-send@example.com', subject: 'note to self', content: 'remember the milk' });
    expect(res.status).toBe(200);
    const folder = async (name: string) =>
      (await json(await call(`/api/v1/mailboxes/${encodeURIComponent(me.address)}/messages?folder=${name}`, { headers: bearer(me.jwt) }))).data.map((m: any) => m.subject);
    expect(await folder('INBOX')).toEqual(['note to self']);
    expect(await folder('Sent')).toEqual(['note to self']);
  });
});

describe('POST /external/api/send_mail', () => {
  it('takes the token in the body and sends like /api/send_mail', async () => {
    const sender = await createAddress('ext-sender');
    const rcpt = await createAddress('ext-rcpt');
    const res = await call('/external/api/send_mail', {
      method: 'POST',
      body: JSON.stringify({ token: sender.jwt, from_name: 'Ext', to_name: '', to_mail: 'ext-rcpt@example.com', subject: 'via body token', is_html: false, content: 'hi' }),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('ok');
    expect((await onlyMessage(rcpt.jwt)).from).toEqual({ name: 'Ext', address: 'ext-sender@example.com' });
  });

  it('refuses a missing token (400) and a bad one (401), and honours the site password', async () => {
    const body = { to_mail: 'x@example.com', subject: 's', content: 'x' };
    const missing = await call('/external/api/send_mail', { method: 'POST', body: JSON.stringify(body) });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.param).toBe('token');
    const bad = await call('/external/api/send_mail', { method: 'POST', body: JSON.stringify({ ...body, token: 'nope' }) });
    expect(bad.status).toBe(401);
    const sender = await createAddress('ext-gated');
    const e = envWith({ PASSWORDS: 'site-pass' });
    const gated = await call('/external/api/send_mail', { method: 'POST', body: JSON.stringify({ ...body, token: sender.jwt }) }, e);
    expect(gated.status).toBe(401);
  });
});

describe('quota and rate limit', () => {
  it('spends the send balance, refuses with 403 at zero, and an admin can grant more', async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '2' });
    const sender = await createAddress('quota', undefined, e);
    await createAddress('quota-rcpt');
    const body = { to_mail: 'quota-rcpt@example.com', subject: 's', content: 'x' };
    expect((await send(sender.jwt, body, e)).status).toBe(200);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(1);
    expect((await send(sender.jwt, body, e)).status).toBe(200);
    const refused = await send(sender.jwt, body, e);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('send_quota_exhausted');
    const granted = await call(`/admin/addresses/${sender.address_id}/send_balance`, { method: 'PUT', headers: admin, body: JSON.stringify({ balance: 5 }) }, e);
    expect((await json(granted)).send_balance).toBe(5);
    expect((await send(sender.jwt, body, e)).status).toBe(200);
  });

  it('disables sending for an address whose balance is 0', async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '0' });
    const sender = await createAddress('nosend', undefined, e);
    const res = await send(sender.jwt, { to_mail: 'x@example.com', subject: 's', content: 'x' }, e);
    expect(res.status).toBe(403);
  });

  it('answers 429 with Retry-After past SEND_RATE_PER_MINUTE', async () => {
    const e = envWith({ SEND_RATE_PER_MINUTE: '2' });
    const sender = await createAddress('rate', undefined, e);
    await createAddress('rate-rcpt');
    const body = { to_mail: 'rate-rcpt@example.com', subject: 's', content: 'x' };
    expect((await send(sender.jwt, body, e)).status).toBe(200);
    expect((await send(sender.jwt, body, e)).status).toBe(200);
    const limited = await send(sender.jwt, body, e);
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(998);
  });
});

describe('providers and the Sent box', () => {
  const resendUrl = inject('resendUrl');

  it('sends external recipients through the cloudflare binding and records it', async () => {
    const sender = await createAddress('cf-sender');
    const res = await send(sender.jwt, { to_mail: 'someone@elsewhere.test', subject: 'out', content: 'x' });
    expect(res.status).toBe(200);
    expect((await json(res)).recipients).toEqual([{ address: 'someone@elsewhere.test', status: 'sent', via: 'cloudflare', provider_id: expect.any(String) }]);
    const box = await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }));
    expect(box.count).toBe(1);
    expect(box.results[0]).toMatchObject({ subject: 'out', status: 'sent', to: [{ name: '', address: 'someone@elsewhere.test' }] });
  });

  it('hands the cloudflare binding a raw message without its Received fields, which the binding refuses (the SMTP proxy adds one)', async () => {
    const sender = await createAddress('cf-raw');
    const raw = [
      'Received: from client.example (client.example [192.0.2.7])\r\n\tby smtp-proxy; Sun, 29 Nov 2026 10:00:00 +0000',
      'Received: from laptop by client.example; Sun, 29 Nov 2026 09:59:59 +0000',
      'From: cf-raw@example.com', 'To: someone@elsewhere.test', 'Subject: through the proxy', `Message-ID: <cf-raw-${Date.now()}@example.com>`,
      'Date: Sun, 29 Nov 2026 10:00:00 +0000', '', 'Hello.', '',
    ].join('\r\n');
    const res = await call('/api/send_raw?to=someone@elsewhere.test', { method: 'POST', headers: { ...bearer(sender.jwt), 'content-type': 'message/rfc822' }, body: raw });
    expect(res.status).toBe(200);
    expect((await json(res)).recipients).toEqual([expect.objectContaining({ address: 'someone@elsewhere.test', status: 'sent', via: 'cloudflare' })]);
  });

  it('maps a message onto Resend\'s API: to/cc/bcc, attachments, threading headers', async () => {
    const e = envWith({ MAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_ok', RESEND_API_URL: resendUrl });
    const sender = await createAddress('rs-sender', undefined, e);
    const res = await send(sender.jwt, { from_name: 'RS', to_mail: ['a@far.test'], cc: ['b@far.test'], bcc: ['c@far.test'], subject: 'via resend', text: 't', html: '<p>h</p>', attachments: [{ filename: 'x.txt', content: btoa('xyz'), content_type: 'text/plain' }] }, e);
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result.recipients.every((r: any) => r.via === 'resend' && r.status === 'sent' && r.provider_id.startsWith('fake_'))).toBe(true);
    const received = (await (await fetch(`${resendUrl}/_received`)).json()) as { key: string; body: any }[];
    const last = received.at(-1)!;
    expect(last.key).toBe('re_ok');
    // The HTML fragment travels as a complete document (a bare fragment is a spam signal). The
    // parts are 7bit now, and postal-mime keeps the line break before a boundary in the text.
    expect(last.body).toMatchObject({ from: 'RS <rs-sender@example.com>', to: ['a@far.test'], cc: ['b@far.test'], bcc: ['c@far.test'], subject: 'via resend', text: 't\n', html: '<html><head><meta charset="utf-8"></head><body><p>h</p></body></html>\n' });
    expect(last.body.attachments).toEqual([{ filename: 'x.txt', content: btoa('xyz'), content_type: 'text/plain' }]);
    expect(last.body.headers['Message-ID']).toBe(result.message_id);
  });

  it('records a provider failure with its error, answers 502, and refunds the balance', async () => {
    const e = envWith({ MAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_fail', RESEND_API_URL: resendUrl, DEFAULT_SEND_BALANCE: '3' });
    const sender = await createAddress('rs-fail', undefined, e);
    const res = await send(sender.jwt, { to_mail: 'a@far.test', subject: 'doomed', content: 'x' }, e);
    expect(res.status).toBe(502);
    const error = (await json(res)).error;
    expect(error.code).toBe('delivery_failed');
    expect(error.message).toContain('Resend 500: Something went wrong');
    const box = await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }, e));
    expect(box.results[0]).toMatchObject({ subject: 'doomed', status: 'failed', recipients: [{ address: 'a@far.test', status: 'failed', via: 'resend', error: 'Resend 500: Something went wrong' }] });
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(3);
  });

  it('reports a partial delivery when some recipients fail', async () => {
    const e = envWith({ MAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_invalid', RESEND_API_URL: resendUrl });
    const sender = await createAddress('rs-partial', undefined, e);
    const rcpt = await createAddress('rs-partial-rcpt', undefined, e);
    const res = await send(sender.jwt, { to_mail: ['rs-partial-rcpt@example.com', 'x@far.test'], subject: 'half', content: 'x' }, e);
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result.delivery_status).toBe('partial');
    expect(result.recipients).toEqual([
      { address: 'rs-partial-rcpt@example.com', status: 'sent', via: 'internal' },
      { address: 'x@far.test', status: 'failed', via: 'resend', error: 'Resend 422: Invalid `to` field' },
    ]);
    expect((await inbox(rcpt.jwt)).count).toBe(1);
  });

  it('records an internal recipient that does not exist as failed', async () => {
    const sender = await createAddress('int-fail');
    const res = await send(sender.jwt, { to_mail: 'ghost@example.com', subject: 's', content: 'x' });
    expect(res.status).toBe(502);
    const box = await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }));
    expect(box.results[0].recipients[0]).toMatchObject({ address: 'ghost@example.com', status: 'failed', via: 'internal' });
  });

  it('shows one sent message with its raw source, and hides other addresses\' Sent boxes', async () => {
    const sender = await createAddress('box-sender');
    const other = await createAddress('box-other');
    await createAddress('box-rcpt');
    const { sent_id } = await json(await send(sender.jwt, { to_mail: 'box-rcpt@example.com', subject: 'kept', content: 'body kept' }));
    const one = await json(await call(`/api/sendbox/${sent_id}`, { headers: bearer(sender.jwt) }));
    expect(one).toMatchObject({ id: sent_id, subject: 'kept', status: 'sent' });
    // An ASCII subject stays readable ASCII (an encoded one is a spam signal).
    expect(one.raw).toContain('Subject: kept\r\n');
    expect((await call(`/api/sendbox/${sent_id}`, { headers: bearer(other.jwt) })).status).toBe(404);
    expect((await json(await call('/api/sendbox', { headers: bearer(other.jwt) }))).count).toBe(0);
  });
});

describe('POST /api/send_raw', () => {
  const raw = (from: string, extra = '') =>
    `From: Raw Sender <${from}>\r\nTo: raw-rcpt@example.com\r\nSubject: raw one\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nraw body\r\n`;
  const sendRaw = (jwt: string, body: string, to = ['raw-rcpt@example.com'], e?: Env) =>
    call(`/api/send_raw?${to.map((t) => `to=${encodeURIComponent(t)}`).join('&')}`, { method: 'POST', headers: { ...bearer(jwt), 'content-type': 'message/rfc822' }, body }, e);

  it('sends a complete message, adding Message-ID and Date when missing', async () => {
    const sender = await createAddress('raw-sender');
    const rcpt = await createAddress('raw-rcpt');
    const res = await sendRaw(sender.jwt, raw('raw-sender@example.com', 'X-Kept: yes\r\n'));
    expect(res.status).toBe(200);
    const mail = await onlyMessage(rcpt.jwt);
    expect(mail.subject).toBe('raw one');
    expect(mail.raw).toMatch(/^Message-ID: <[a-z0-9]{24}@example\.com>\r\nDate: /);
    expect(mail.raw).toContain('X-Kept: yes\r\n');
    expect(mail.raw.endsWith(raw('raw-sender@example.com', 'X-Kept: yes\r\n'))).toBe(true);
  });

  it('refuses a From header that is not the token\'s address with 403', async () => {
    const sender = await createAddress('raw-liar');
    const res = await sendRaw(sender.jwt, raw('ceo@example.com'));
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('sender_not_allowed');
  });

  it('refuses missing recipients, too many recipients, and an oversized message', async () => {
    const sender = await createAddress('raw-limits');
    expect((await sendRaw(sender.jwt, raw('raw-limits@example.com'), [])).status).toBe(400);
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@far.test`);
    const tooMany = await sendRaw(sender.jwt, raw('raw-limits@example.com'), many);
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error.param).toBe('to_mail');
    const e = envWith({ MAX_MESSAGE_BYTES: '2048' });
    const big = await call('/api/send_raw?to=raw-rcpt@example.com', { method: 'POST', headers: bearer(sender.jwt), body: raw('raw-limits@example.com') + 'x'.repeat(4000) }, e);
    expect(big.status).toBe(413);
  });

  it('refuses an empty body and a missing or invalid ?to= with 400 validation_failed naming the field', async () => {
    const sender = await createAddress('raw-fields');
    const empty = await sendRaw(sender.jwt, '');
    expect(empty.status).toBe(400);
    expect((await json(empty)).error).toMatchObject({ code: 'validation_failed', param: 'body' });
    for (const to of [[], ['not an address']]) {
      const res = await sendRaw(sender.jwt, raw('raw-fields@example.com'), to);
      expect(res.status, JSON.stringify(to)).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'to' });
    }
  });

  it('spends the send balance like send_mail does, and refuses with 403 at zero', async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '1' });
    const sender = await createAddress('raw-quota', undefined, e);
    expect((await sendRaw(sender.jwt, raw('raw-quota@example.com'), undefined, e)).status).toBe(200);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(0);
    const refused = await sendRaw(sender.jwt, raw('raw-quota@example.com'), undefined, e);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('send_quota_exhausted');
  });
});

describe('delivery bookkeeping', () => {
  it('counts sent messages on the address', async () => {
    const sender = await createAddress('counted');
    await createAddress('counted-rcpt');
    await send(sender.jwt, { to_mail: 'counted-rcpt@example.com', subject: 's', content: 'x' });
    const settings = await json(await call('/api/settings', { headers: bearer(sender.jwt) }));
    expect(settings.sent_count).toBe(1);
  });
});
