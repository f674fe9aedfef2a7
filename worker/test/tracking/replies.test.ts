import { describe, expect, it } from 'vitest';
import { bearer, call, createAddress, deliver, json, TestEmailMessage } from '../helpers';
import { mailboxPath, v1 } from '../v1/helpers';
import { getEmail, sendEmail, settled } from '../v1/sending';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

function reply(from: string, to: string, headers: Record<string, string>) {
  const lines = [`From: ${from}`, `To: ${to}`, 'Subject: Re: hello', `Message-ID: <${unique()}@far.test>`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', 'Thanks!', ''];
  return new TestEmailMessage(from, to, new TextEncoder().encode(lines.join('\r\n')));
}

async function sent(to: string[]) {
  const sender = await createAddress(`s-${unique()}`);
  const res = await sendEmail(sender.jwt, { to, subject: 'hello', text: 'hi' });
  const email = await settled(sender.jwt, (await json(res)).data.id);
  return { sender, email };
}

describe('reply detection', () => {
  it('marks a sent message replied when a reply naming it arrives in any of our mailboxes', async () => {
    const { sender, email } = await sent(['someone@far.test']);
    expect(email.first_replied_at).toBeNull();
    // The reply lands in a different mailbox than the sender's (a shared support address, say).
    const other = await createAddress(`support-${unique()}`);
    const message = reply('someone@far.test', other.address, { 'In-Reply-To': email.message_id, References: `<older@far.test> ${email.message_id}` });
    await deliver(message);
    expect(message.rejected).toBeNull();
    const after = await getEmail(sender.jwt, email.id);
    expect(after.first_replied_at).not.toBeNull();
    expect(after.unified_status).toBe('replied');
    expect(after.events.filter((e: { type: string }) => e.type === 'replied')).toEqual([expect.objectContaining({ recipient: 'someone@far.test' })]);
  });

  it('finds the message through References alone, and sets first_replied_at once', async () => {
    const { sender, email } = await sent(['someone@far.test']);
    await deliver(reply('someone@far.test', sender.address, { References: email.message_id }));
    const first = (await getEmail(sender.jwt, email.id)).first_replied_at;
    expect(first).not.toBeNull();
    await deliver(reply('other@far.test', sender.address, { 'In-Reply-To': email.message_id }));
    const after = await getEmail(sender.jwt, email.id);
    expect(after.first_replied_at).toBe(first);
    expect(after.events.filter((e: { type: string }) => e.type === 'replied')).toHaveLength(2);
  });

  it('does not count the sender\'s own follow-up or a message naming an unknown id', async () => {
    const { sender, email } = await sent(['someone@far.test']);
    await deliver(reply(sender.address, sender.address, { 'In-Reply-To': email.message_id }));
    await deliver(reply('someone@far.test', sender.address, { 'In-Reply-To': '<nobody-sent-this@far.test>' }));
    expect((await getEmail(sender.jwt, email.id)).first_replied_at).toBeNull();
  });
});

describe('read_at', () => {
  it('is set when one of our own mailboxes that received the message marks it seen', async () => {
    const rcpt = await createAddress(`r-${unique()}`);
    const { sender, email } = await sent([rcpt.address]);
    expect(email).toMatchObject({ read_at: null, unified_status: 'delivered' });
    const list = await json(await v1(rcpt.jwt, `${mailboxPath(rcpt.address)}/messages`));
    const uid = list.data[0].uid;
    // Reading through v1 does not mark it seen; setting \Seen does.
    await v1(rcpt.jwt, `${mailboxPath(rcpt.address)}/messages/${uid}`);
    expect((await getEmail(sender.jwt, email.id)).read_at).toBeNull();
    await v1(rcpt.jwt, `${mailboxPath(rcpt.address)}/messages/${uid}`, { method: 'PATCH', body: JSON.stringify({ flags: ['\\Seen'] }) });
    const read = await getEmail(sender.jwt, email.id);
    expect(read.read_at).not.toBeNull();
    expect(read.unified_status).toBe('opened');
    expect(read.events.filter((e: { type: string }) => e.type === 'read')).toEqual([expect.objectContaining({ recipient: rcpt.address })]);
  });

  it('is set when the web UI opens the message (the original parsed_mail door)', async () => {
    const rcpt = await createAddress(`r-${unique()}`);
    const { sender, email } = await sent([rcpt.address]);
    const list = await json(await call('/api/parsed_mails?limit=5&offset=0', { headers: bearer(rcpt.jwt) }));
    await call(`/api/parsed_mail/${list.results[0].id}`, { headers: bearer(rcpt.jwt) });
    expect((await getEmail(sender.jwt, email.id)).read_at).not.toBeNull();
  });
});
