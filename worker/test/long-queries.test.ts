// Production D1 refuses LIKE patterns over 50 bytes; every substring search takes queries up to its
// documented maximum (these run under the production limits of worker/test/d1-production-limits.ts).
import { describe, expect, it } from 'vitest';
import { activeAccount, PASSWORD } from './accounts/helpers';
import { admin, bearer, call, createAddress, deliver, json, searchIndexSettled, TestEmailMessage } from './helpers';
import { mailboxPath, v1 } from './v1/helpers';

const LONG_SUBJECT = 'Quarterly statement for the account ending 4242 — please review the attached summary before Friday';

describe('substring searches longer than 50 bytes', () => {
  it('GET /api/parsed_mails?q= finds a long phrase of the subject, ignoring ASCII case, and takes 200 characters', async () => {
    const { jwt } = await createAddress('long-search');
    const raw = `From: Billing <billing@bank.test>\r\nSubject: ${LONG_SUBJECT}\r\nMessage-ID: <long@x>\r\n\r\nbody\r\n`;
    await deliver(new TestEmailMessage('billing@bank.test', 'long-search@example.com', new TextEncoder().encode(raw)));
    const search = async (q: string) => {
      const res = await call(`/api/parsed_mails?q=${encodeURIComponent(q)}`, { headers: bearer(jwt) });
      expect(res.status).toBe(200);
      return json(res);
    };
    const phrase = LONG_SUBJECT.slice(10, 90).toUpperCase();
    expect(new TextEncoder().encode(phrase).byteLength).toBeGreaterThan(50);
    expect((await search(phrase)).count).toBe(1);
    expect((await search(phrase)).results[0].subject).toBe(LONG_SUBJECT);
    expect((await search(`${phrase} and more`)).count).toBe(0);
    expect((await search('x'.repeat(200))).count).toBe(0);
  });

  it('GET /admin/addresses?query= finds an address by a long part of it, and takes 320 characters', async () => {
    const local = 'a-rather-long-temporary-address-for-a-newsletter-signup';
    await createAddress(local);
    const find = async (query: string) => {
      const res = await call(`/admin/addresses?query=${encodeURIComponent(query)}`, { headers: admin });
      expect(res.status).toBe(200);
      return json(res);
    };
    expect((await find(`${local.toUpperCase()}@EXAMPLE`)).results.map((a: any) => a.address)).toEqual([`${local}@example.com`]);
    expect((await find('q'.repeat(320))).count).toBe(0);
  });

  it('GET /api/v1/users?domain= lists a long domain\'s users, and takes 253 characters', async () => {
    const domain = `${'sub'.repeat(20)}.long-domain-for-users.test`;
    const { admin: key } = await activeAccount(domain);
    expect((await v1(key, '/users', { method: 'POST', body: JSON.stringify({ email: `someone@${domain}`, password: PASSWORD, name: 'S' }) })).status).toBe(201);
    const listed = await v1(key, `/users?domain=${domain.toUpperCase()}`);
    expect(listed.status).toBe(200);
    expect((await json(listed)).data.map((u: any) => u.email).sort()).toEqual([`admin@${domain}`, `someone@${domain}`]);
    const none = await v1(key, `/users?domain=${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(61)}`);
    expect(none.status).toBe(200);
    expect((await json(none)).data).toEqual([]);
  });

  it('v1 search with two characters (no trigram index) still matches literally: % and _ are not wildcards', async () => {
    const { jwt, address } = await createAddress('short-search');
    const raw = 'From: a@b.test\r\nSubject: 50% off\r\nMessage-ID: <short@x>\r\n\r\nsave 5_ today\r\n';
    await deliver(new TestEmailMessage('a@b.test', address, new TextEncoder().encode(raw)));
    await searchIndexSettled();
    const hits = async (q: string) => {
      const res = await v1(jwt, `${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (await json(res)).data.length;
    };
    expect(await hits('0%')).toBe(1);
    expect(await hits('5_')).toBe(1);
    expect(await hits('%o')).toBe(0);
  });
});
