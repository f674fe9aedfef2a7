// An admin (here by password: no key to read) reading any mailbox: the mailbox named in the path is
// found in the same D1 batch as the data. API keys: key-reads.test.ts.
import { describe, expect, it } from 'vitest';
import { admin, call, createAddress, deliver, envWith, json, searchIndexSettled, TestEmailMessage, testEnv } from '../helpers';
import { D1RoundTrips } from '../d1-round-trips';
import { mailboxPath } from './helpers';

const asAdmin = (path: string, e?: Env) => call(`/api/v1${path}`, { headers: admin }, e);

const message = (to: string, i: number) =>
  new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: s@sender.test\r\nTo: ${to}\r\nSubject: Admin read ${i}\r\nMessage-ID: <admin-read-${to}-${i}@x>\r\n\r\nBody ${i}\r\n`));

function counted() {
  const trips = new D1RoundTrips(testEnv.DB);
  return { trips, env: { ...envWith({}), DB: trips.binding } };
}

describe('hot v1 reads as an admin', () => {
  it('take one D1 round trip: the mailbox with its first page or folders (a message: one more for its contents)', async () => {
    const { address } = await createAddress('admin-reads');
    for (let i = 1; i <= 3; i++) await deliver(message(address, i));
    const base = mailboxPath(address.toUpperCase());

    const { trips, env } = counted();
    const page = await asAdmin(`${base}/messages?limit=2`, env);
    expect(page.status).toBe(200);
    const body = await json(page);
    expect(body.data.map((m: { subject: string }) => m.subject)).toEqual(['Admin read 3', 'Admin read 2']);
    expect(body.meta).toMatchObject({ total: 3, limit: 2 });
    expect(trips.count).toBe(1);

    trips.count = 0;
    const folders = await asAdmin(`${base}/folders`, env);
    expect(folders.status).toBe(200);
    expect((await json(folders)).data.find((f: { name: string }) => f.name === 'INBOX')).toMatchObject({ messages: 3, unread: 3 });
    expect(trips.count).toBe(1);

    trips.count = 0;
    const opened = await asAdmin(`${base}/messages/${body.data[1].uid}`, env);
    expect(opened.status).toBe(200);
    const data = (await json(opened)).data;
    expect(data.subject).toBe('Admin read 2');
    expect(JSON.stringify(data)).toContain('Body 2');
    // The mailbox with the message, then its contents with its attachments.
    expect(trips.count).toBe(2);

    // Unread and other folders take the same path.
    const unread = await json(await asAdmin(`${base}/messages?unread=true&folder=inbox`, env));
    expect(unread.meta.total).toBe(3);
    expect((await json(await asAdmin(`${base}/messages?folder=Sent`, env))).data).toEqual([]);
  });

  it('search in one D1 round trip, inside the named mailbox only, with and without the trigram index', async () => {
    const { address } = await createAddress('admin-search');
    const { address: other } = await createAddress('admin-search-other');
    const mail = (to: string, subject: string, i: number) =>
      new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: s@sender.test\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <admin-search-${to}-${i}@x>\r\n\r\nSee the zephyr report ${i}\r\n`));
    await deliver(mail(address, 'Quarterly zephyr', 1));
    await deliver(mail(address, 'Nothing to see', 2));
    await deliver(mail(other, 'Zephyr elsewhere', 3));
    await searchIndexSettled();

    const { trips, env } = counted();
    const found = await asAdmin(`${mailboxPath(address)}/search?q=zephyr`, env);
    expect(found.status).toBe(200);
    const hits = (await json(found)).data;
    expect(hits.map((h: { subject: string }) => h.subject).sort()).toEqual(['Nothing to see', 'Quarterly zephyr']);
    expect(trips.count).toBe(1);

    // Two characters: no trigram index, a substring match, still inside the mailbox.
    trips.count = 0;
    expect((await json(await asAdmin(`${mailboxPath(other)}/search?q=qx`, env))).data).toEqual([]);
    const two = (await json(await asAdmin(`${mailboxPath(other)}/search?q=Ze`, env))).data;
    expect(two.map((h: { subject: string }) => h.subject)).toEqual(['Zephyr elsewhere']);
    expect(trips.count).toBe(2);

    const ghost = await asAdmin(`${mailboxPath('nobody-here@example.com')}/search?q=zephyr`);
    expect(ghost.status).toBe(404);
    expect((await json(ghost)).error.code).toBe('mailbox_not_found');
  });

  it('answer a mailbox that does not exist as not found, and a missing message in one that does as a missing message', async () => {
    const { address } = await createAddress('admin-reads-404');
    await deliver(message(address, 1));
    const uid = (await json(await asAdmin(`${mailboxPath(address)}/messages`))).data[0].uid;
    const ghost = mailboxPath('nobody-here@example.com');
    for (const path of [`${ghost}/messages`, `${ghost}/folders`, `${ghost}/messages/${uid}`, `${ghost}/search?q=admin`]) {
      const res = await asAdmin(path);
      expect(res.status, path).toBe(404);
      expect((await json(res)).error.code, path).toBe('mailbox_not_found');
    }
    const missing = await asAdmin(`${mailboxPath(address)}/messages/msg_nosuchmessage00000000`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('message_not_found');
    // Another mailbox's message is not found in this one.
    const { address: other } = await createAddress('admin-reads-other');
    expect((await json(await asAdmin(`${mailboxPath(other)}/messages/${uid}`))).error.code).toBe('message_not_found');
  });
});
