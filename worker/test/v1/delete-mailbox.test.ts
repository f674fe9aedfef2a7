import { describe, expect, it } from 'vitest';
import { signup } from '../accounts/helpers';
import { admin, call, createAddress, deliver, json, TestEmailMessage, testEnv } from '../helpers';
import { adminKey, mailboxKey, mailboxPath, v1 } from './helpers';

const encode = (text: string) => new TextEncoder().encode(text);
const message = (to: string, body = 'hello') =>
  encode(`From: sender@far.test\r\nTo: ${to}\r\nSubject: s\r\nMessage-ID: <${Math.random()}@far.test>\r\n\r\n${body}\r\n`);

describe('DELETE /api/v1/mailboxes/{address}', () => {
  it('deletes the address with its mail and R2 objects when its own token asks; the token then works nowhere', async () => {
    const me = await createAddress('burn-me');
    await deliver(new TestEmailMessage('sender@far.test', me.address, message(me.address)));
    // Over BLOB_THRESHOLD_BYTES: an R2 object.
    await deliver(new TestEmailMessage('sender@far.test', me.address, message(me.address, 'z'.repeat(76).concat('\r\n').repeat(3000))));
    const { results } = await testEnv.DB.prepare('SELECT raw_key FROM mail_contents JOIN mails ON mails.id = mail_id WHERE address_id = ? AND raw_key IS NOT NULL').bind(me.address_id).all<{ raw_key: string }>();
    expect(results).toHaveLength(1);

    const res = await v1(me.jwt, mailboxPath(me.address), { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ address: me.address, deleted: true });
    expect(await testEnv.DB.prepare('SELECT count(*) AS n FROM mails WHERE address_id = ?').bind(me.address_id).first('n')).toBe(0);
    expect(await testEnv.BLOBS.head(results[0]!.raw_key)).toBeNull();
    expect((await v1(me.jwt, `${mailboxPath(me.address)}/messages`)).status).toBe(401);
    expect((await call('/api/parsed_mails', { headers: { authorization: `Bearer ${me.jwt}` } })).status).toBe(401);
    // Mail for it is refused from now on.
    const late = new TestEmailMessage('sender@far.test', me.address, message(me.address));
    await deliver(late);
    expect(late.rejected).not.toBeNull();
  });

  it("an admin key may; a mailbox's API key and another address's token may not", async () => {
    const me = await createAddress('keep-me');
    const other = await createAddress('keep-other');
    const adminSecret = await adminKey();
    const { key } = await mailboxKey(adminSecret, me.address);
    const byKey = await v1(key, mailboxPath(me.address), { method: 'DELETE' });
    expect(byKey.status).toBe(403);
    expect((await json(byKey)).error.code).toBe('access_denied');
    const byOther = await v1(other.jwt, mailboxPath(me.address), { method: 'DELETE' });
    expect(byOther.status).toBe(404);
    expect((await json(byOther)).error.code).toBe('mailbox_not_found');
    expect((await v1(me.jwt, `${mailboxPath(me.address)}/messages`)).status).toBe(200);

    const byAdmin = await v1(adminSecret, mailboxPath(me.address), { method: 'DELETE' });
    expect((await json(byAdmin)).data).toEqual({ address: me.address, deleted: true });
    expect((await v1(adminSecret, mailboxPath(me.address), { method: 'DELETE' })).status).toBe(404);
  });

  it('an account session may not, even on the mailbox it owns; the admin password may', async () => {
    const account = await signup('burn-owner.test');
    const bySession = await v1(account.token, mailboxPath(account.email), { method: 'DELETE' });
    expect(bySession.status).toBe(403);
    expect((await json(bySession)).error.code).toBe('access_denied');
    const byPassword = await call(`/api/v1${mailboxPath(account.email)}`, { method: 'DELETE', headers: admin });
    expect((await json(byPassword)).data).toEqual({ address: account.email, deleted: true });
  });
});
