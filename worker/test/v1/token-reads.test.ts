import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliver, envWith, json, searchIndexSettled, TestEmailMessage, testEnv } from '../helpers';
import { D1RoundTrips } from '../d1-round-trips';
import { mailboxPath } from './helpers';

const message = (to: string, i: number) =>
  new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: s@sender.test\r\nTo: ${to}\r\nSubject: First page ${i}\r\nMessage-ID: <first-page-${to}-${i}@x>\r\n\r\nBody ${i}\r\n`));

/** The env with its D1 binding counted, and the path of a mailbox's v1 message list. */
function counted(vars: Parameters<typeof envWith>[0] = {}) {
  const trips = new D1RoundTrips(testEnv.DB);
  return { trips, env: { ...envWith(vars), DB: trips.binding } };
}
const list = (address: string, query = '') => `/api/v1${mailboxPath(address)}/messages${query}`;

describe("a mailbox's first page on /api/v1 with its address token", () => {
  it('takes one D1 round trip: the token is checked against its address row in the same batch as the page', async () => {
    const { jwt, address } = await createAddress('fp-one-trip');
    for (let i = 1; i <= 3; i++) await deliver(message(address, i));
    const { trips, env } = counted();
    const res = await call(list(address, '?limit=2'), { headers: bearer(jwt) }, env);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.data.map((m: { subject: string }) => m.subject)).toEqual(['First page 3', 'First page 2']);
    expect(body.meta).toMatchObject({ total: 3, limit: 2 });
    expect(trips.count).toBe(1);

  });

  it("answers another mailbox's first page as not found, and a rotated token's as 401, without data", async () => {
    const mine = await createAddress('fp-mine');
    const theirs = await createAddress('fp-theirs');
    await deliver(message(theirs.address, 1));
    const other = await call(list(theirs.address), { headers: bearer(mine.jwt) });
    expect(other.status).toBe(404);
    expect((await json(other)).error.code).toBe('mailbox_not_found');

    await call(`/admin/addresses/${theirs.address_id}/rotate_token`, { method: 'POST', headers: admin });
    for (const path of [list(theirs.address), list(theirs.address, '?folder=Sent'), list(theirs.address, '?unread=true')]) {
      const res = await call(path, { headers: bearer(theirs.jwt) });
      expect(res.status, path).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text).error.code, path).toBe('invalid_token');
      expect(text, path).not.toContain('First page');
    }
  });

  it('still counts the read against the rate limit, once the token is confirmed', async () => {
    const { trips, env } = counted({ V1_RATE_READ_PER_MINUTE: '2' });
    const { jwt, address } = await createAddress('fp-limit', undefined, env);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(list(address), { headers: bearer(jwt) }, env);
      statuses.push([res.status, res.headers.get('x-ratelimit-remaining')]);
    }
    expect(statuses).toEqual([[200, '1'], [200, '0'], [429, '0']]);
    expect(trips.count).toBeGreaterThan(0);
  });

  it("does not let a rotated token spend its address's read budget", async () => {
    const env = envWith({ V1_RATE_READ_PER_MINUTE: '2' });
    const { jwt: old, address, address_id } = await createAddress('fp-budget', undefined, env);
    const { jwt: fresh } = await json(await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin }, env));
    for (let i = 0; i < 5; i++) expect((await call(list(address), { headers: bearer(old) }, env)).status).toBe(401);
    const res = await call(list(address), { headers: bearer(fresh) }, env);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
  });
});

describe('searching a mailbox on /api/v1 with its address token', () => {
  const search = (address: string, q: string) => `/api/v1${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`;

  it('takes one D1 round trip, the token checked against its address row in the same batch', async () => {
    const { jwt, address } = await createAddress('fs-one-trip');
    for (let i = 1; i <= 2; i++) await deliver(message(address, i));
    await searchIndexSettled();
    const { trips, env } = counted();
    const res = await call(search(address, 'First page 2'), { headers: bearer(jwt) }, env);
    expect(res.status).toBe(200);
    expect((await json(res)).data.map((m: { subject: string }) => m.subject)).toEqual(['First page 2']);
    expect(trips.count).toBe(1);
  });

  it("refuses a rotated token with 401 and nothing found, and another mailbox's search as not found", async () => {
    const mine = await createAddress('fs-mine');
    const theirs = await createAddress('fs-theirs');
    await deliver(message(theirs.address, 7));
    await searchIndexSettled();
    expect((await call(search(theirs.address, 'First page'), { headers: bearer(mine.jwt) })).status).toBe(404);
    await call(`/admin/addresses/${theirs.address_id}/rotate_token`, { method: 'POST', headers: admin });
    const res = await call(search(theirs.address, 'First page'), { headers: bearer(theirs.jwt) });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('First page 7');
  });

  it('counts a confirmed search against the search limit, and a rotated one against nothing', async () => {
    const env = envWith({ V1_RATE_SEARCH_PER_MINUTE: '1' });
    const { jwt: old, address, address_id } = await createAddress('fs-limit', undefined, env);
    const { jwt: fresh } = await json(await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin }, env));
    for (let i = 0; i < 3; i++) expect((await call(search(address, 'anything'), { headers: bearer(old) }, env)).status).toBe(401);
    expect((await call(search(address, 'anything'), { headers: bearer(fresh) }, env)).status).toBe(200);
    expect((await call(search(address, 'anything'), { headers: bearer(fresh) }, env)).status).toBe(429);
  });
});

describe("a mailbox's folders and one message on /api/v1 with its address token", () => {
  const base = (address: string) => `/api/v1${mailboxPath(address)}`;

  it('reads the folders in one D1 round trip, and the message with its address row in one before its contents', async () => {
    const { jwt, address } = await createAddress('fm-trips');
    await deliver(message(address, 1));
    const uid = (await json(await call(list(address), { headers: bearer(jwt) }))).data[0].uid;
    const { trips, env } = counted();
    const folders = await call(`${base(address)}/folders`, { headers: bearer(jwt) }, env);
    expect(folders.status).toBe(200);
    expect((await json(folders)).data.find((f: { name: string }) => f.name === 'INBOX')).toMatchObject({ messages: 1, unread: 1 });
    expect(trips.count).toBe(1);

    trips.count = 0;
    const opened = await call(`${base(address)}/messages/${uid}`, { headers: bearer(jwt) }, env);
    expect(opened.status).toBe(200);
    expect((await json(opened)).data).toMatchObject({ uid, subject: 'First page 1' });
    // The message's contents and attachments are a second read, which needs the message's id.
    expect(trips.count).toBe(2);
    // Opened again through the original API (which marked it seen the first time; the token is
    // checked first there, as on every route of that API): two in all.
    const id = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results[0].id;
    expect((await call(`/api/parsed_mail/${id}`, { headers: bearer(jwt) })).status).toBe(200);
    trips.count = 0;
    expect((await call(`/api/parsed_mail/${id}`, { headers: bearer(jwt) }, env)).status).toBe(200);
    expect(trips.count).toBe(2);
  });

  it('refuses a rotated token with 401 before saying whether a message exists, and another mailbox as not found', async () => {
    const mine = await createAddress('fm-mine');
    const theirs = await createAddress('fm-theirs');
    await deliver(message(theirs.address, 3));
    const uid = (await json(await call(list(theirs.address), { headers: bearer(theirs.jwt) }))).data[0].uid;
    expect((await call(`${base(theirs.address)}/folders`, { headers: bearer(mine.jwt) })).status).toBe(404);
    expect((await call(`${base(theirs.address)}/messages/${uid}`, { headers: bearer(mine.jwt) })).status).toBe(404);
    await call(`/admin/addresses/${theirs.address_id}/rotate_token`, { method: 'POST', headers: admin });
    for (const path of [`${base(theirs.address)}/folders`, `${base(theirs.address)}/messages/${uid}`, `${base(theirs.address)}/messages/msg_nosuchmessage00000000`]) {
      const res = await call(path, { headers: bearer(theirs.jwt) });
      expect(res.status, path).toBe(401);
      expect(await res.text(), path).not.toContain('First page 3');
    }
  });

  it('counts a confirmed read against the read limit, and a rotated one against nothing', async () => {
    const env = envWith({ V1_RATE_READ_PER_MINUTE: '1' });
    const { jwt: old, address, address_id } = await createAddress('fm-limit', undefined, env);
    const { jwt: fresh } = await json(await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin }, env));
    for (let i = 0; i < 3; i++) expect((await call(`${base(address)}/folders`, { headers: bearer(old) }, env)).status).toBe(401);
    expect((await call(`${base(address)}/folders`, { headers: bearer(fresh) }, env)).status).toBe(200);
    expect((await call(`${base(address)}/folders`, { headers: bearer(fresh) }, env)).status).toBe(429);
  });
});

describe('a hot v1 read with an address token that fails before answering', () => {
  const base = (address: string) => `/api/v1${mailboxPath(address)}`;

  it('answers a rotated token with 401 even when the request is also wrong in another way', async () => {
    const { jwt, address, address_id } = await createAddress('ff-rotated');
    await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin });
    for (const path of [`${base(address)}/messages?folder=Nowhere`, `${base(address)}/messages?limit=0`, `${base(address)}/messages/msg_nosuchmessage00000000`]) {
      const res = await call(path, { headers: bearer(jwt) });
      expect(res.status, path).toBe(401);
      expect((await json(res)).error.code, path).toBe('invalid_token');
    }
  });

  it('counts a live token\'s failed reads against its rate limit, as every other request is counted', async () => {
    const env = envWith({ V1_RATE_READ_PER_MINUTE: '2' });
    const { jwt, address } = await createAddress('ff-counted', undefined, env);
    const other = await createAddress('ff-counted-other', undefined, env);
    expect((await call(`${base(address)}/messages/msg_nosuchmessage00000000`, { headers: bearer(jwt) }, env)).status).toBe(404);
    const wrong = await call(`${base(other.address)}/folders`, { headers: bearer(jwt) }, env);
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await call(`${base(address)}/messages?folder=Nowhere`, { headers: bearer(jwt) }, env);
    expect(limited.status).toBe(429);
    expect((await call(`${base(address)}/folders`, { headers: bearer(jwt) }, env)).status).toBe(429);
  });
});
