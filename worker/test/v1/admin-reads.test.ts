// An admin reading any mailbox: the mailbox named in the path is found in the same D1 batch as the data.
import { describe, expect, it } from 'vitest';
import { createAddress, deliver, envWith, json, TestEmailMessage, testEnv } from '../helpers';
import { D1RoundTrips } from '../d1-round-trips';
import { adminKey, mailboxPath, v1 } from './helpers';

const message = (to: string, i: number) =>
  new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: s@sender.test\r\nTo: ${to}\r\nSubject: Admin read ${i}\r\nMessage-ID: <admin-read-${to}-${i}@x>\r\n\r\nBody ${i}\r\n`));

function counted() {
  const trips = new D1RoundTrips(testEnv.DB);
  return { trips, env: { ...envWith({}), DB: trips.binding } };
}

describe('hot v1 reads with an admin key', () => {
  it('take two D1 round trips: the key, then the mailbox with its first page, folders or message', async () => {
    const key = await adminKey('admin reads');
    const { address } = await createAddress('admin-reads');
    for (let i = 1; i <= 3; i++) await deliver(message(address, i));
    // The key's first use records when it was used (a write, then at most once an hour): not counted here.
    expect((await v1(key, '/keys')).status).toBe(200);
    const base = mailboxPath(address.toUpperCase());

    const { trips, env } = counted();
    const page = await v1(key, `${base}/messages?limit=2`, {}, env);
    expect(page.status).toBe(200);
    const body = await json(page);
    expect(body.data.map((m: { subject: string }) => m.subject)).toEqual(['Admin read 3', 'Admin read 2']);
    expect(body.meta).toMatchObject({ total: 3, limit: 2 });
    expect(trips.count).toBe(2);

    trips.count = 0;
    const folders = await v1(key, `${base}/folders`, {}, env);
    expect(folders.status).toBe(200);
    expect((await json(folders)).data.find((f: { name: string }) => f.name === 'INBOX')).toMatchObject({ messages: 3, unread: 3 });
    expect(trips.count).toBe(2);

    trips.count = 0;
    const opened = await v1(key, `${base}/messages/${body.data[1].uid}`, {}, env);
    expect(opened.status).toBe(200);
    const data = (await json(opened)).data;
    expect(data.subject).toBe('Admin read 2');
    expect(JSON.stringify(data)).toContain('Body 2');
    // The key, the mailbox with the message, then its contents with its attachments.
    expect(trips.count).toBe(3);

    // Unread and other folders take the same path.
    const unread = await json(await v1(key, `${base}/messages?unread=true&folder=inbox`, {}, env));
    expect(unread.meta.total).toBe(3);
    expect((await json(await v1(key, `${base}/messages?folder=Sent`, {}, env))).data).toEqual([]);
  });

  it('answer a mailbox that does not exist as not found, and a missing message in one that does as a missing message', async () => {
    const key = await adminKey('admin reads 404');
    const { address } = await createAddress('admin-reads-404');
    await deliver(message(address, 1));
    const uid = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data[0].uid;
    const ghost = mailboxPath('nobody-here@example.com');
    for (const path of [`${ghost}/messages`, `${ghost}/folders`, `${ghost}/messages/${uid}`]) {
      const res = await v1(key, path);
      expect(res.status, path).toBe(404);
      expect((await json(res)).error.code, path).toBe('mailbox_not_found');
    }
    const missing = await v1(key, `${mailboxPath(address)}/messages/msg_nosuchmessage00000000`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('message_not_found');
    // Another mailbox's message is not found in this one.
    const { address: other } = await createAddress('admin-reads-other');
    expect((await json(await v1(key, `${mailboxPath(other)}/messages/${uid}`))).error.code).toBe('message_not_found');
  });
});
