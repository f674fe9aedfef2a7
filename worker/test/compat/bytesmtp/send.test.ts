/** POST /api/send: ByteSMTP's example request through the queued sending service, HTML detection, cc lists, errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAddress, envWith, json } from '../../helpers';
import { adminKey, mailboxKey } from '../../v1/helpers';
import { settled } from '../../v1/sending';
import { door, expectError, post } from './helpers';

let admin: string;
beforeAll(async () => {
  admin = await adminKey('bytesmtp send');
});

async function mailbox(name: string) {
  const box = await createAddress(name);
  return { ...box, key: (await mailboxKey(admin, box.address)).key };
}

/** The newest message of `box`'s folder, read through the door. */
async function newest(key: string, folder = 'INBOX') {
  const list = await json(await door(key, `/api/inbox?folder=${folder}`));
  expect(list.total, `messages in ${folder}`).toBeGreaterThan(0);
  return (await json(await door(key, `/api/message/${list.messages[0].uid}`))).message;
}

describe('POST /api/send', () => {
  it("takes ByteSMTP's example request, answers {ok, message}, and delivers to and cc through the queue", async () => {
    const [sender, to, cc] = await Promise.all([mailbox('bs-send'), mailbox('bs-send-to'), mailbox('bs-send-cc')]);
    const res = await post(sender.key, '/api/send', {
      from: sender.address,
      to: to.address,
      subject: 'Hello from ByteSMTP',
      body: 'This is the email body in plain text or HTML.',
      cc: cc.address,
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['id', 'message', 'ok']);
    expect(body.ok).toBe(true);
    expect(body.message).toBe('Email sent successfully');
    expect(body.id).toMatch(/^em_/);

    const email = await settled(sender.key, body.id);
    expect(email.status).toBe('delivered');
    expect(email.recipients.map((r: { email: string; type: string }) => [r.email, r.type]).sort()).toEqual([
      [cc.address, 'cc'],
      [to.address, 'to'],
    ]);
    for (const rcpt of [to, cc]) {
      const m = await newest(rcpt.key);
      expect(m).toMatchObject({ from: sender.address, to: to.address, cc: cc.address, subject: 'Hello from ByteSMTP', body_html: '' });
      expect(m.body_text.trim()).toBe('This is the email body in plain text or HTML.');
    }
    // The sender keeps a copy in Sent.
    expect(await newest(sender.key, 'Sent')).toMatchObject({ subject: 'Hello from ByteSMTP', to: to.address });
  });

  it('sends a body that looks like HTML as HTML, with a text part derived from it', async () => {
    const [sender, to] = await Promise.all([mailbox('bs-html'), mailbox('bs-html-to')]);
    const res = await post(sender.key, '/api/send', { from: sender.address, to: to.address, subject: 'Markup', body: "<p>Let's meet at <b>2pm</b>.</p>" });
    expect(res.status).toBe(200);
    await settled(sender.key, (await json(res)).id);
    const m = await newest(to.key);
    expect(m.body_html).toContain("<p>Let's meet at <b>2pm</b>.</p>");
    expect(m.body_text.trim()).toBe("Let's meet at 2pm.");
  });

  it('sends text with angle brackets that is not markup as text', async () => {
    const [sender, to] = await Promise.all([mailbox('bs-text'), mailbox('bs-text-to')]);
    const text = 'Reply to Ann <ann@example.net> if 2 < 3.';
    const res = await post(sender.key, '/api/send', { from: sender.address, to: to.address, subject: 'Plain', body: text });
    await settled(sender.key, (await json(res)).id);
    const m = await newest(to.key);
    expect(m.body_html).toBe('');
    expect(m.body_text.trim()).toBe(text);
  });

  it('takes cc as a comma-separated list, names and quoted commas included', async () => {
    const [sender, to, c1, c2] = await Promise.all([mailbox('bs-cc'), mailbox('bs-cc-to'), mailbox('bs-cc-1'), mailbox('bs-cc-2')]);
    const res = await post(sender.key, '/api/send', {
      from: `Sender Name <${sender.address}>`,
      to: to.address,
      subject: 'Two cc',
      body: 'hi',
      cc: `${c1.address}, "Doe, Jane" <${c2.address}>`,
    });
    expect(res.status).toBe(200);
    const email = await settled(sender.key, (await json(res)).id);
    expect(email.recipients.filter((r: { type: string }) => r.type === 'cc').map((r: { email: string }) => r.email).sort()).toEqual([c1.address, c2.address].sort());
    expect(email.recipients.every((r: { status: string }) => r.status === 'delivered')).toBe(true);
    expect((await newest(c2.key)).cc).toBe(`${c1.address}, ${c2.address}`);
  });

  it('takes an empty or null cc as no cc, as clients that fill every field send it', async () => {
    const [sender, to] = await Promise.all([mailbox('bs-nocc'), mailbox('bs-nocc-to')]);
    for (const cc of ['', '  ', null]) {
      const res = await post(sender.key, '/api/send', { from: sender.address, to: to.address, subject: `No cc ${JSON.stringify(cc)}`, body: 'hi', cc });
      expect(res.status, JSON.stringify(cc)).toBe(200);
      const email = await settled(sender.key, (await json(res)).id);
      expect(email.recipients.map((r: { email: string; type: string }) => [r.email, r.type])).toEqual([[to.address, 'to']]);
    }
  });

  it('refuses a missing or malformed field with 400 naming it', async () => {
    const sender = await mailbox('bs-send-bad');
    const good = { from: sender.address, to: 'ann@example.net', subject: 'S', body: 'B' };
    for (const field of ['from', 'to', 'subject', 'body'] as const) {
      const { [field]: _dropped, ...rest } = good;
      expect(await expectError(await post(sender.key, '/api/send', rest), 400, 'validation_failed')).toContain(field);
    }
    expect(await expectError(await post(sender.key, '/api/send', { ...good, to: 'not an address' }), 400, 'validation_failed')).toContain('to');
    expect(await expectError(await post(sender.key, '/api/send', { ...good, to: ' , ' }), 400, 'validation_failed')).toContain('to');
    expect(await expectError(await post(sender.key, '/api/send', { ...good, cc: 'ann@example.net, nope' }), 400, 'validation_failed')).toContain('cc');
    expect(await expectError(await post(sender.key, '/api/send', { ...good, subject: 'a\r\nBcc: x@example.net' }), 400, 'validation_failed')).toContain('subject');
    expect(await expectError(await post(sender.key, '/api/send', { ...good, body: 42 }), 400, 'validation_failed')).toContain('body');
    await expectError(await door(sender.key, '/api/send', { method: 'POST', body: '{"from":' }), 400, 'validation_failed');
  });

  it("refuses sending as another mailbox or from a domain that is not ours with 403", async () => {
    const sender = await mailbox('bs-send-as');
    const other = await createAddress('bs-send-as-other');
    const body = { to: 'ann@example.net', subject: 'S', body: 'B' };
    await expectError(await post(sender.key, '/api/send', { ...body, from: other.address }), 403, 'sender_not_allowed');
    await expectError(await post(sender.key, '/api/send', { ...body, from: 'someone@elsewhere.test' }), 403, 'domain_not_allowed');
  });

  it('refuses a message larger than MAX_MESSAGE_BYTES with 413', async () => {
    const sender = await mailbox('bs-send-big');
    const e = envWith({ MAX_MESSAGE_BYTES: '4096' });
    const res = await post(sender.key, '/api/send', { from: sender.address, to: 'ann@example.net', subject: 'Big', body: 'x'.repeat(8000) }, e);
    await expectError(res, 413, 'payload_too_large');
    // A body that could never become a message is refused before it is read.
    const huge = await post(sender.key, '/api/send', { from: sender.address, to: 'ann@example.net', subject: 'Huge', body: 'x'.repeat(1100 * 1024) }, e);
    expect(await expectError(huge, 413, 'payload_too_large')).toContain('Request bodies are limited to');
  });

  it('takes a JSON body larger than MAX_MESSAGE_BYTES when the message it carries fits (\\u-escaped text, as Python\'s json sends it)', async () => {
    const sender = await mailbox('bs-send-escaped');
    const e = envWith({ MAX_MESSAGE_BYTES: '24000' });
    // 4000 CJK characters: 12 000 bytes of UTF-8 in the message, 24 000 bytes as \uXXXX escapes in the JSON.
    const escaped = JSON.stringify({ from: sender.address, to: 'ann@example.net', subject: 'Escaped', body: '日'.repeat(4000) }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped.length).toBeGreaterThan(24000);
    const res = await door(sender.key, '/api/send', { method: 'POST', body: escaped }, e);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json(res)).ok).toBe(true);
  });
});
