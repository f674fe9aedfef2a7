import { describe, expect, it } from 'vitest';
import { admin, call, createAddress, deliver, envWith, json, TestEmailMessage, testEnv } from '../helpers';
import { mailboxPath, v1 } from './helpers';

const encode = (text: string) => new TextEncoder().encode(text);
const message = (to: string, subject: string, body = 'hello') =>
  encode(`From: sender@far.test\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random()}@far.test>\r\n\r\n${body}\r\n`);

async function folderTotals(jwt: string, address: string): Promise<Record<string, number>> {
  const { data } = await json(await v1(jwt, `${mailboxPath(address)}/folders`));
  return Object.fromEntries((data as { name: string; messages: number }[]).map((f) => [f.name, f.messages]));
}

describe('DELETE /api/v1/mailboxes/{address}/folders/{folder}/messages', () => {
  it('deletes every message of that folder for good, R2 objects too, and leaves the other folders alone', async () => {
    const me = await createAddress('empty-inbox');
    await deliver(new TestEmailMessage('sender@far.test', me.address, message(me.address, 'small')));
    // Over BLOB_THRESHOLD_BYTES: its raw source is an R2 object.
    await deliver(new TestEmailMessage('sender@far.test', me.address, message(me.address, 'large', 'y'.repeat(76).concat('\r\n').repeat(3000))));
    const draft = await v1(me.jwt, `${mailboxPath(me.address)}/drafts`, { method: 'POST', body: JSON.stringify({ subject: 'keep me', text: 'draft' }) });
    expect(draft.status).toBe(201);
    const keys = await testEnv.DB.prepare('SELECT raw_key FROM mail_contents JOIN mails ON mails.id = mail_id WHERE address_id = ? AND raw_key IS NOT NULL').bind(me.address_id).all<{ raw_key: string }>();
    expect(keys.results).toHaveLength(1);
    expect(await testEnv.BLOBS.head(keys.results[0]!.raw_key)).not.toBeNull();

    const res = await v1(me.jwt, `${mailboxPath(me.address)}/folders/inbox/messages`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ folder: 'INBOX', deleted: 2, more: false });
    expect(await folderTotals(me.jwt, me.address)).toMatchObject({ INBOX: 0, Drafts: 1 });
    expect(await testEnv.BLOBS.head(keys.results[0]!.raw_key)).toBeNull();
    // Again: nothing left to delete.
    expect((await json(await v1(me.jwt, `${mailboxPath(me.address)}/folders/INBOX/messages`, { method: 'DELETE' }))).data).toEqual({ folder: 'INBOX', deleted: 0, more: false });
  });

  it('deletes 400 a call and says more remain until the folder is empty', async () => {
    const me = await createAddress('empty-many');
    const mbox = Array.from({ length: 401 }, (_, i) => `From s@far.test Mon Mar  2 10:00:00 2026\nFrom: s@far.test\nSubject: n${i}\nMessage-ID: <many-${i}@far.test>\n\nbody ${i}\n`).join('\n');
    const imported = await json(await call(`/admin/mails/import?to=${encodeURIComponent(me.address)}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/mbox' }, body: mbox }, envWith({ IMPORT_MAX_MESSAGES: '500' })));
    expect(imported.imported).toBe(401);
    const empty = () => v1(me.jwt, `${mailboxPath(me.address)}/folders/INBOX/messages`, { method: 'DELETE' }).then(json);
    expect((await empty()).data).toEqual({ folder: 'INBOX', deleted: 400, more: true });
    expect((await empty()).data).toEqual({ folder: 'INBOX', deleted: 1, more: false });
    expect((await folderTotals(me.jwt, me.address)).INBOX).toBe(0);
  });

  it('refuses an unknown folder, and any mailbox but the credential\'s own', async () => {
    const me = await createAddress('empty-mine');
    const other = await createAddress('empty-other');
    await deliver(new TestEmailMessage('sender@far.test', me.address, message(me.address, 'mine')));
    const bad = await v1(me.jwt, `${mailboxPath(me.address)}/folders/Archive/messages`, { method: 'DELETE' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({ code: 'invalid_folder', param: 'folder' });
    const foreign = await v1(other.jwt, `${mailboxPath(me.address)}/folders/INBOX/messages`, { method: 'DELETE' });
    expect(foreign.status).toBe(404);
    expect((await json(foreign)).error.code).toBe('mailbox_not_found');
    expect((await v1(null, `${mailboxPath(me.address)}/folders/INBOX/messages`, { method: 'DELETE' })).status).toBe(401);
    expect((await folderTotals(me.jwt, me.address)).INBOX).toBe(1);
  });
});
