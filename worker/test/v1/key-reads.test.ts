// The hot v1 reads with an API key: the key, the mailbox named in the path and the data in one D1 batch.
import { describe, expect, it } from 'vitest';
import { admin, call, createAddress, deliver, envWith, json, searchIndexSettled, TestEmailMessage, testEnv } from '../helpers';
import { D1RoundTrips } from '../d1-round-trips';
import { adminKey, mailboxKey, mailboxPath, v1 } from './helpers';

const message = (to: string, i: number) =>
  new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: s@sender.test\r\nTo: ${to}\r\nSubject: Key read ${i}\r\nMessage-ID: <key-read-${to}-${i}@x>\r\n\r\nKeyed body ${i}\r\n`));

function counted(vars: Parameters<typeof envWith>[0] = {}) {
  const trips = new D1RoundTrips(testEnv.DB);
  return { trips, env: { ...envWith(vars), DB: trips.binding } };
}

/** A mailbox with two messages, an admin key, a key for that mailbox, and the uid of its newest message. */
async function setup(name: string) {
  const admin = await adminKey(`${name} admin`);
  const { address } = await createAddress(name);
  for (let i = 1; i <= 2; i++) await deliver(message(address, i));
  const { key, id } = await mailboxKey(admin, address);
  const uid = (await json(await v1(admin, `${mailboxPath(address)}/messages`))).data[0].uid;
  // Each key's first use records when it was used (a write, then at most once a minute): not counted below.
  for (const k of [admin, key]) expect((await v1(k, `${mailboxPath(address)}/folders`)).status).toBe(200);
  return { admin, key, keyId: id, address, uid, hot: hotPaths(address, uid) };
}

const hotPaths = (address: string, uid: string) => [`${mailboxPath(address)}/messages`, `${mailboxPath(address)}/folders`, `${mailboxPath(address)}/messages/${uid}`, `${mailboxPath(address)}/search?q=keyed`];

describe('hot v1 reads with an API key', () => {
  it('take one D1 round trip for a first page, folders and search (a message: one more for its contents), with a mailbox key and an admin key', async () => {
    const { admin, key, address, uid } = await setup('key-trips');
    await searchIndexSettled();
    for (const k of [key, admin]) {
      const { trips, env } = counted();
      const page = await v1(k, `${mailboxPath(address)}/messages?limit=1`, {}, env);
      expect(page.status).toBe(200);
      const body = await json(page);
      expect(body.data.map((m: { subject: string }) => m.subject)).toEqual(['Key read 2']);
      expect(body.meta.total).toBe(2);
      expect(trips.count).toBe(1);

      trips.count = 0;
      const folders = await v1(k, `${mailboxPath(address)}/folders`, {}, env);
      expect((await json(folders)).data.find((f: { name: string }) => f.name === 'INBOX')).toMatchObject({ messages: 2 });
      expect(trips.count).toBe(1);

      trips.count = 0;
      const hits = (await json(await v1(k, `${mailboxPath(address)}/search?q=keyed`, {}, env))).data;
      expect(hits.map((h: { subject: string }) => h.subject).sort()).toEqual(['Key read 1', 'Key read 2']);
      expect(trips.count).toBe(1);

      trips.count = 0;
      const opened = await v1(k, `${mailboxPath(address)}/messages/${uid}`, {}, env);
      expect(opened.status).toBe(200);
      expect(JSON.stringify((await json(opened)).data)).toContain('Keyed body 2');
      expect(trips.count).toBe(2);
    }
  });

  it("answer another mailbox, or one that does not exist, as not found for a mailbox key, with nothing of it", async () => {
    const { key } = await setup('key-mine');
    const { address: theirs } = await createAddress('key-theirs');
    await deliver(message(theirs, 7));
    const theirUid = (await json(await call(`/api/v1${mailboxPath(theirs)}/messages`, { headers: admin }))).data[0].uid;
    for (const path of [...hotPaths(theirs, theirUid), ...hotPaths('nobody-here@example.com', theirUid)]) {
      const res = await v1(key, path);
      expect(res.status, path).toBe(404);
      const text = await res.text();
      expect(JSON.parse(text).error.code, path).toBe('mailbox_not_found');
      expect(text, path).not.toContain('Key read 7');
    }
  });

  it('refuse a revoked, an unknown and an expired key with 401 before saying anything about the mailbox, even on a bad request', async () => {
    const { admin: adminSecret, key, keyId, address, uid } = await setup('key-revoked');
    const expiring = await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'mailbox', mailbox: address, name: 'brief', expires_at: new Date(Date.now() + 1500).toISOString() }) });
    expect(expiring.status).toBe(201);
    const expired = (await json(expiring)).data.key;
    expect((await v1(adminSecret, `/keys/${keyId}`, { method: 'DELETE' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const unknown = `emk_${'x'.repeat(40)}`;
    // A deleted mailbox takes its keys with it.
    const doomed = await createAddress('key-doomed');
    const { key: orphan } = await mailboxKey(adminSecret, doomed.address);
    expect((await call(`/admin/addresses/${doomed.address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const orphanPaths = hotPaths(doomed.address, uid);
    for (const path of orphanPaths) expect((await v1(orphan, path)).status, path).toBe(401);
    const paths = [...hotPaths(address, uid), ...hotPaths('nobody-here@example.com', uid), `${mailboxPath(address)}/messages?folder=Nowhere`, `${mailboxPath(address)}/messages/msg_nosuchmessage00000000`];
    for (const [k, code] of [[key, 'token_expired'], [unknown, 'invalid_token'], [expired, 'token_expired']] as const) {
      for (const path of paths) {
        const res = await v1(k, path);
        expect(res.status, `${code} ${path}`).toBe(401);
        const text = await res.text();
        expect(JSON.parse(text).error.code, path).toBe(code);
        expect(text, path).not.toContain('Key read');
      }
    }
  });

  it('count a confirmed read against the key\'s read limit (a request that failed first too), and note the key\'s use', async () => {
    const { env } = counted({ V1_RATE_READ_PER_MINUTE: '3' });
    const adminSecret = await adminKey('limit admin');
    const { address } = await createAddress('key-limit', undefined, env);
    await deliver(message(address, 1), env);
    const { key, id } = await mailboxKey(adminSecret, address);
    const statuses = [];
    for (const path of [`${mailboxPath(address)}/messages`, `${mailboxPath(address)}/messages?folder=Nowhere`, `${mailboxPath(address)}/folders`, `${mailboxPath(address)}/search?q=keyed`]) {
      statuses.push((await v1(key, path, {}, env)).status);
    }
    expect(statuses).toEqual([200, 400, 200, 200]);
    expect((await v1(key, `${mailboxPath(address)}/folders`, {}, env)).status).toBe(429);
    const listed = (await json(await v1(adminSecret, '/keys?limit=100'))).data.find((k: { id: string }) => k.id === id);
    expect(listed.last_used_at).not.toBeNull();
  });
});
