/**
 * POST /api/send_raw against hostile originator headers, and Bcc kept from recipients. The same
 * service serves the SMTP proxy, whose own tests drive these cases through real SMTP sessions.
 */
import { describe, expect, inject, it } from 'vitest';
import { bearer, call, createAddress, envWith, json } from './helpers';

const ME = 'raw-me@example.com';

const sendRaw = (jwt: string, body: string | Uint8Array, to = ['raw-rcpt@example.com'], e?: Env) =>
  call(`/api/send_raw?${to.map((t) => `to=${encodeURIComponent(t)}`).join('&')}`, { method: 'POST', headers: { ...bearer(jwt), 'content-type': 'message/rfc822' }, body }, e);

/** Headers (each ending in CRLF) and a small body. */
const message = (headers: string) => `${headers}To: raw-rcpt@example.com\r\nSubject: originator\r\n\r\nbody\r\n`;

async function counts(sender: { jwt: string }, rcpt: { jwt: string }) {
  const inbox = await json(await call('/api/parsed_mails', { headers: bearer(rcpt.jwt) }));
  const sent = await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }));
  return { inbox: inbox.count, sent: sent.count };
}

const me = await createAddress('raw-me');
const rcpt = await createAddress('raw-rcpt');

describe('originator headers of a raw message', () => {
  it.each([
    ['a second mailbox in From', `From: ${ME}, ceo@bank.example\r\n`],
    ['a second mailbox folded onto the next line', `From: ${ME},\r\n ceo@bank.example\r\n`],
    ['two From headers', `From: ${ME}\r\nFrom: ceo@bank.example\r\n`],
    ['a second From spelled "from :" (obsolete syntax)', `From: ${ME}\r\nfrom : ceo@bank.example\r\n`],
    ['a Sender that is someone else', `From: ${ME}\r\nSender: ceo@bank.example\r\n`],
    ['two Sender headers', `From: ${ME}\r\nSender: ${ME}\r\nSender: ${ME}\r\n`],
    ['a Resent-From that is someone else', `From: ${ME}\r\nResent-From: ceo@bank.example\r\n`],
    ['group syntax around two mailboxes', `From: Board: ${ME}, ceo@bank.example;\r\n`],
    ['group syntax around our own mailbox only', `From: Us: ${ME};\r\n`],
    ['an empty group', 'From: undisclosed-recipients:;\r\n'],
    ['a quoted display name that is our address', `From: "${ME}" <ceo@bank.example>\r\n`],
    ['a bare address followed by an angle address', `From: ${ME} <ceo@bank.example>\r\n`],
    ['two angle addresses', `From: <${ME}> <ceo@bank.example>\r\n`],
    ['a source route', `From: <@relay.example:${ME}>\r\n`],
    ['a quoted local part that is not ours', `From: "raw-me@example.com"@bank.example\r\n`],
    ['an unterminated comment', `From: ${ME} (ceo@bank.example\r\n`],
    ['no From at all', `Sender: ${ME}\r\n`],
    ['our address on another domain', 'From: raw-me@example.com.bank.example\r\n'],
  ])('refuses %s with 403 sender_not_allowed and sends nothing', async (_name, headers) => {
    const before = await counts(me, rcpt);
    const res = await sendRaw(me.jwt, message(headers));
    expect(res.status).toBe(403);
    expect((await json(res)).error).toMatchObject({ code: 'sender_not_allowed', param: 'from' });
    expect(await counts(me, rcpt)).toEqual(before);
  });

  it.each([
    ['a bare CR hiding a second From', `X-Note: x\rFrom: ceo@bank.example\r\nFrom: ${ME}\r\n`],
    ['a line that is not a header field', `From: ${ME}\r\n, ceo@bank.example\r\n`],
    ['a continuation line before any field', ` From: ceo@bank.example\r\nFrom: ${ME}\r\n`],
    ['a NUL byte in a header', `From: ${ME}\0ceo@bank.example\r\n`],
  ])('refuses a header block with %s as 400 invalid_mime', async (_name, headers) => {
    const before = await counts(me, rcpt);
    const res = await sendRaw(me.jwt, message(headers));
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_mime');
    expect(await counts(me, rcpt)).toEqual(before);
  });

  it.each([
    ['a plain From', `From: ${ME}\r\n`],
    ['upper case and no space', `FROM:RAW-ME@Example.COM\r\n`],
    ['a display name with a comma and an address in it', `From: "Ceo, Bank <ceo@bank.example>" <${ME}>\r\n`],
    ['a comment', `From: ${ME} (the real one)\r\n`],
    ['an encoded-word name', `From: =?utf-8?Q?R=C3=A4w?= <${ME}>\r\n`],
    ['a quoted local part that is ours', 'From: "raw-me"@example.com\r\n'],
    ['a Sender that is ours and a Reply-To elsewhere', `From: ${ME}\r\nSender: <${ME}>\r\nReply-To: desk@elsewhere.example\r\n`],
    ['a Resent-From that is ours', `From: ${ME}\r\nResent-From: ${ME}\r\n`],
  ])('accepts %s', async (_name, headers) => {
    const res = await sendRaw(me.jwt, message(headers));
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('refuses over SMTP-style bare LF line endings just the same', async () => {
    const res = await sendRaw(me.jwt, `From: ${ME}\nFrom: ceo@bank.example\nTo: raw-rcpt@example.com\n\nbody\n`);
    expect(res.status).toBe(403);
  });
});

describe('Bcc in a raw message', () => {
  it('reaches the Bcc recipient, is stripped from every recipient\'s copy, and stays in the Sent copy', async () => {
    const hidden = await createAddress('raw-hidden');
    const raw = `From: ${ME}\r\nTo: raw-rcpt@example.com\r\nBcc: raw-hidden@example.com,\r\n\tsomeone@far.test\r\nSubject: with bcc\r\n\r\nbody\r\n`;
    const res = await sendRaw(me.jwt, raw, ['raw-rcpt@example.com', 'raw-hidden@example.com']);
    expect(res.status).toBe(200);
    for (const who of [rcpt, hidden]) {
      const { results } = await json(await call('/api/parsed_mails', { headers: bearer(who.jwt) }));
      const mine = results.find((r: any) => r.subject === 'with bcc');
      const stored = await (await call(`/api/mails/${mine.id}/raw`, { headers: bearer(who.jwt) })).text();
      expect(stored).not.toMatch(/^bcc:/im);
      expect(stored).not.toContain('someone@far.test');
      expect(stored).toContain('Subject: with bcc\r\n');
      const parsed = await json(await call(`/api/parsed_mail/${mine.id}`, { headers: bearer(who.jwt) }));
      expect(parsed.headers.map((h: any) => h.key)).not.toContain('bcc');
    }
    const sent = await json(await call(`/api/sendbox/${(await json(res)).sent_id}`, { headers: bearer(me.jwt) }));
    expect(sent.raw).toContain('Bcc: raw-hidden@example.com,\r\n\tsomeone@far.test\r\n');
  });

  it('keeps an 8-bit body in another charset byte for byte (ISO-8859-1 is not UTF-8)', async () => {
    const head = new TextEncoder().encode(`From: ${ME}\r\nTo: raw-rcpt@example.com\r\nSubject: latin-1\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`);
    const body = Uint8Array.from([0x48, 0xe4, 0x6c, 0x6c, 0x6f, 0x20, 0xfc, 0x0d, 0x0a]);
    const res = await sendRaw(me.jwt, new Uint8Array([...head, ...body]));
    expect(res.status).toBe(200);
    const { results } = await json(await call('/api/parsed_mails', { headers: bearer(rcpt.jwt) }));
    const mine = results.find((r: any) => r.subject === 'latin-1');
    const stored = new Uint8Array(await (await call(`/api/mails/${mine.id}/raw`, { headers: bearer(rcpt.jwt) })).arrayBuffer());
    expect([...stored.slice(stored.length - body.length)]).toEqual([...body]);
    const parsed = await json(await call(`/api/parsed_mail/${mine.id}`, { headers: bearer(rcpt.jwt) }));
    expect(parsed.text.trim()).toBe('Hällo ü');
  });

  it('with notify=failures, reports recipients that were not reached to the sender\'s inbox (RFC 3464); without it, nothing', async () => {
    const sender = await createAddress('raw-notified');
    const ok = await createAddress('raw-notified-ok');
    const raw = `From: raw-notified@example.com\r\nTo: raw-notified-ok@example.com, nobody-here@example.com\r\nSubject: half of it\r\nMessage-ID: <half@x>\r\n\r\nbody\r\n`;
    const res = await call('/api/send_raw?to=raw-notified-ok@example.com&to=nobody-here@example.com&notify=failures', { method: 'POST', headers: { ...bearer(sender.jwt), 'content-type': 'message/rfc822' }, body: raw });
    expect(res.status).toBe(200);
    expect((await json(res)).delivery_status).toBe('partial');
    expect((await json(await call('/api/parsed_mails', { headers: bearer(ok.jwt) }))).count).toBe(1);
    const inbox = await json(await call('/api/parsed_mails', { headers: bearer(sender.jwt) }));
    expect(inbox.results.map((r: any) => r.subject)).toEqual(['Undelivered Mail Returned to Sender']);
    const notice = await json(await call(`/api/parsed_mail/${inbox.results[0].id}`, { headers: bearer(sender.jwt) }));
    expect(notice.from).toMatchObject({ address: 'MAILER-DAEMON@example.com' });
    expect(notice.text).toContain('"half of it" could not be delivered to this recipient:');
    expect(notice.text).toContain('nobody-here@example.com: 550 5.1.1');
    expect(notice.text).not.toContain('raw-notified-ok@example.com:');
    const stored = await (await call(`/api/mails/${inbox.results[0].id}/raw`, { headers: bearer(sender.jwt) })).text();
    expect(stored).toMatch(/Content-Type: multipart\/report; report-type=delivery-status;/);
    expect(stored).toContain('Final-Recipient: rfc822; nobody-here@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n');
    expect(stored).toContain('Content-Type: text/rfc822-headers\r\n\r\nFrom: raw-notified@example.com\r\n');

    // The same without notify: the answer says partial, and no notice is made.
    const quiet = await call('/api/send_raw?to=raw-notified-ok@example.com&to=nobody-here@example.com', { method: 'POST', headers: { ...bearer(sender.jwt), 'content-type': 'message/rfc822' }, body: raw.replace('<half@x>', '<half2@x>') });
    expect((await json(quiet)).delivery_status).toBe('partial');
    expect((await json(await call('/api/parsed_mails', { headers: bearer(sender.jwt) }))).count).toBe(1);
  });

  it('is not in the fields handed to the outbound provider either', async () => {
    const resendUrl = inject('resendUrl');
    const e = envWith({ MAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_ok', RESEND_API_URL: resendUrl });
    const sender = await createAddress('raw-bcc-out', undefined, e);
    const raw = `From: raw-bcc-out@example.com\r\nTo: a@far.test\r\nBcc: b@far.test\r\nSubject: out with bcc\r\nX-Tag: kept\r\n\r\nbody\r\n`;
    const res = await sendRaw(sender.jwt, raw, ['a@far.test', 'b@far.test'], e);
    expect(res.status).toBe(200);
    const received = (await (await fetch(`${resendUrl}/_received`)).json()) as { body: any }[];
    const last = received.at(-1)!.body;
    expect(last).toMatchObject({ to: ['a@far.test'], bcc: ['b@far.test'], subject: 'out with bcc' });
    expect(Object.keys(last.headers).map((k) => k.toLowerCase())).not.toContain('bcc');
    expect(last.headers['x-tag']).toBe('kept');
  });
});

describe('query parameters', () => {
  it('refuses a notify value other than failures, before anything is sent', async () => {
    const sender = await createAddress('raw-notify-typo');
    const raw = `From: raw-notify-typo@example.com\r\nTo: raw-rcpt@example.com\r\nSubject: s\r\n\r\nbody\r\n`;
    const before = (await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }))).count;
    const res = await call('/api/send_raw?to=raw-rcpt@example.com&notify=failure', { method: 'POST', headers: { ...bearer(sender.jwt), 'content-type': 'message/rfc822' }, body: raw });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'notify' });
    expect((await json(await call('/api/sendbox', { headers: bearer(sender.jwt) }))).count).toBe(before);
  });
});
