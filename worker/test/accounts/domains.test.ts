import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliver, envWith, json, TestEmailMessage, testEnv } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';
import { activeAccount, asUser, dnsUrl, dohEnv, publish, signup, unpublish } from './helpers';

const message = (to: string) =>
  new TextEncoder().encode(`From: a@sender.test\r\nTo: ${to}\r\nSubject: hello\r\nMessage-ID: <${Math.random()}@sender.test>\r\n\r\nHi\r\n`);

async function inbox(token: string, mailbox: string) {
  return json(await asUser(token, mailbox, '/api/parsed_mails'));
}

describe('a pending domain', () => {
  it('receives nothing: email() rejects it and logs the rejection', async () => {
    const account = await signup('pending-rx.test');
    const mail = new TestEmailMessage('a@sender.test', account.email, message(account.email));
    await deliver(mail);
    expect(mail.rejected).toMatch(/does not accept mail for pending-rx\.test/);
    expect((await inbox(account.token, account.email)).count).toBe(0);
    const log = await testEnv.DB.prepare("SELECT status FROM delivery_log WHERE recipient = ?").bind(account.email).all();
    expect(log.results).toEqual([{ status: 'rejected' }]);
  });

  it('sends nothing, through any door', async () => {
    const account = await signup('pending-tx.test');
    const send = await asUser(account.token, account.email, '/api/send_mail', {
      method: 'POST',
      body: JSON.stringify({ to_mail: ['bob@example.com'], subject: 's', text: 't' }),
    });
    expect(send.status).toBe(403);
    expect((await json(send)).error.code).toBe('domain_not_allowed');
    const raw = await asUser(account.token, account.email, '/api/send_raw?to=bob@example.com', { method: 'POST', body: `From: ${account.email}\r\n\r\nx` });
    expect((await json(raw)).error.code).toBe('domain_not_allowed');
  });

  it('sends nothing with an address token either, even one an admin issued, raw or composed', async () => {
    const account = await signup('pending-jwt.test');
    const rcpt = await createAddress('pending-jwt-rcpt');
    const found = await json(await call(`/admin/addresses?query=${encodeURIComponent(account.email)}`, { headers: admin }));
    const [row] = found.results.filter((r: any) => r.address === account.email);
    const { jwt } = await json(await call(`/admin/addresses/${row.address_id}/token`, { method: 'POST', headers: admin }));
    const raw = await call(`/api/send_raw?to=${rcpt.address}`, { method: 'POST', headers: { ...bearer(jwt), 'content-type': 'message/rfc822' }, body: `From: ${account.email}\r\nTo: ${rcpt.address}\r\nSubject: s\r\n\r\nx\r\n` });
    expect(raw.status).toBe(403);
    expect((await json(raw)).error.code).toBe('domain_not_allowed');
    const composed = await call('/api/send_mail', { method: 'POST', headers: bearer(jwt), body: JSON.stringify({ to_mail: rcpt.address, subject: 's', content: 'x' }) });
    expect(composed.status).toBe(403);
    expect((await json(composed)).error.code).toBe('domain_not_allowed');
    expect((await json(await call('/api/parsed_mails', { headers: bearer(rcpt.jwt) }))).count).toBe(0);
  });
});

describe('approving a domain', () => {
  it('makes an RSA-2048 DKIM key (private part encrypted), activates the domain and returns its records', async () => {
    const account = await signup('approve-me.test');
    const admin = await adminKey();
    const res = await v1(admin, '/domains/approve-me.test/approve', { method: 'POST' });
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data).toMatchObject({ domain: 'approve-me.test', status: 'active', active: true, creator_email: null });
    expect(data.dkim_selector).toMatch(/^em\d{8}$/);
    const dkim = data.records.find((r: any) => r.purpose === 'dkim');
    expect(dkim.name).toBe(`${data.dkim_selector}._domainkey.approve-me.test`);
    const p = /p=([A-Za-z0-9+/=]+)$/.exec(dkim.value)![1]!;
    const spki = Uint8Array.from(atob(p), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    expect((key.algorithm as { modulusLength?: number }).modulusLength).toBe(2048);

    const row = await testEnv.DB.prepare('SELECT dkim_private_key FROM domains WHERE name = ?').bind('approve-me.test').first<{ dkim_private_key: string }>();
    expect(row!.dkim_private_key).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    // Not a PKCS#8 key in the clear (which starts with the DER bytes 30 82).
    expect(atob(row!.dkim_private_key.split('.')[2]!).slice(0, 2)).not.toBe('\x30\x82');

    expect((await v1(admin, '/domains/pending')).status).toBe(200);
    expect((await json(await v1(admin, '/domains/pending'))).data.map((d: any) => d.domain)).not.toContain('approve-me.test');
    // Now mail for it is accepted.
    const mail = new TestEmailMessage('a@sender.test', account.email, message(account.email));
    await deliver(mail);
    expect(mail.rejected).toBeNull();
    expect((await inbox(account.token, account.email)).count).toBe(1);
    // Approving again keeps the key.
    const again = await json(await v1(admin, '/domains/approve-me.test/approve', { method: 'POST' }));
    expect(again.data.records.find((r: any) => r.purpose === 'dkim').value).toBe(dkim.value);
  });

  it('is for admins only, answers 404 for an unknown domain and 503 without DKIM_ENCRYPTION_KEY', async () => {
    const account = await signup('approve-rules.test');
    expect((await json(await v1(account.token, '/domains/approve-rules.test/approve', { method: 'POST' }))).error.code).toBe('access_denied');
    const admin = await adminKey();
    expect((await json(await v1(admin, '/domains/nowhere.test/approve', { method: 'POST' }))).error.code).toBe('domain_not_found');
    const noKey = envWith({ DKIM_ENCRYPTION_KEY: '' });
    const res = await call('/api/v1/domains/approve-rules.test/approve', { method: 'POST', headers: { authorization: `Bearer ${admin}` } }, noKey);
    expect(res.status).toBe(503);
    expect((await json(res)).error).toMatchObject({ code: 'not_configured', message: expect.stringContaining('DKIM_ENCRYPTION_KEY') });
    // Still pending: nothing half-done.
    expect((await json(await v1(admin, '/domains/pending'))).data.map((d: any) => d.domain)).toContain('approve-rules.test');
  });
});

describe('GET /api/v1/domains/{domain}/dns', () => {
  it('lists MX for Email Routing, SPF, DKIM and DMARC with full names, for its manager', async () => {
    const account = await signup('records.test');
    const admin = await adminKey();
    // Before approval there is no key yet, so no DKIM record.
    const before = await json(await v1(account.token, '/domains/records.test/dns'));
    expect(before.data.records.map((r: any) => r.purpose)).toEqual(['mx', 'mx', 'mx', 'spf', 'dmarc']);
    await v1(admin, '/domains/records.test/approve', { method: 'POST' });
    const { data } = await json(await v1(account.token, '/domains/records.test/dns'));
    expect(data.status).toBe('active');
    const byPurpose = (p: string) => data.records.filter((r: any) => r.purpose === p);
    expect(byPurpose('mx').map((r: any) => [r.type, r.name, r.value])).toEqual([
      ['MX', 'records.test', 'route1.mx.cloudflare.net'],
      ['MX', 'records.test', 'route2.mx.cloudflare.net'],
      ['MX', 'records.test', 'route3.mx.cloudflare.net'],
    ]);
    expect(byPurpose('spf')).toEqual([{ type: 'TXT', name: 'records.test', value: 'v=spf1 include:_spf.mx.cloudflare.net ~all', purpose: 'spf' }]);
    expect(byPurpose('dkim')[0]).toMatchObject({ type: 'TXT', name: expect.stringMatching(/^em\d{8}\._domainkey\.records\.test$/), value: expect.stringMatching(/^v=DKIM1; k=rsa; p=MIIBIjAN/) });
    expect(byPurpose('dmarc')[0]).toMatchObject({ type: 'TXT', name: '_dmarc.records.test', value: expect.stringMatching(/^v=DMARC1; p=quarantine/) });
  });

  it("hides another domain's records from a user without manage_domains on it", async () => {
    await signup('mine-a.test');
    const other = await signup('mine-b.test');
    const res = await v1(other.token, '/domains/mine-a.test/dns');
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('access_denied');
    // The same answer for a domain that does not exist at all.
    expect((await json(await v1(other.token, '/domains/ghost.test/dns'))).error.code).toBe('access_denied');
  });
});

describe('POST /api/v1/domains/{domain}/verify (DNS-over-HTTPS)', () => {
  it('reports each record missing, then verified once published; a wrong DKIM key fails', async () => {
    const account = await signup('verify-me.test');
    const admin = await adminKey();
    await v1(admin, '/domains/verify-me.test/approve', { method: 'POST' });
    const e = dohEnv();
    const verify = () => call('/api/v1/domains/verify-me.test/verify', { method: 'POST', headers: { authorization: `Bearer ${account.token}` } }, e);

    const empty = await json(await verify());
    expect(empty.data.verified).toBe(false);
    expect(empty.data.records.every((r: any) => r.ok === false && r.found.length === 0)).toBe(true);

    const { data } = await json(await v1(account.token, '/domains/verify-me.test/dns'));
    await publish(data.records);
    const good = await json(await verify());
    expect(good.data.records.map((r: any) => [r.purpose, r.ok])).toEqual([['mx', true], ['mx', true], ['mx', true], ['spf', true], ['dkim', true], ['dmarc', true]]);
    expect(good.data.verified).toBe(true);
    const listed = await json(await v1(account.token, '/domains'));
    expect(listed.data).toEqual([expect.objectContaining({ domain: 'verify-me.test', dns_verified_at: good.data.checked_at })]);

    // Someone else's key at the selector: DKIM fails, and so does the whole check.
    const dkim = data.records.find((r: any) => r.purpose === 'dkim');
    await unpublish(dkim.name);
    await publish([{ ...dkim, value: 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwrong' }]);
    const bad = await json(await verify());
    expect(bad.data.verified).toBe(false);
    expect(bad.data.records.find((r: any) => r.purpose === 'dkim')).toMatchObject({ ok: false, found: [expect.stringContaining('wrong')] });
  });

  it('answers 502 dns_lookup_failed when the resolver is down', async () => {
    const account = await signup('resolver-down.test');
    const e = envWith({ DOH_RESOLVER_URL: `${dnsUrl()}/no-such-endpoint` });
    const res = await call('/api/v1/domains/resolver-down.test/verify', { method: 'POST', headers: { authorization: `Bearer ${account.token}` } }, e);
    expect(res.status).toBe(502);
    expect((await json(res)).error).toMatchObject({ code: 'dns_lookup_failed', retryable: true });
  });
});

describe('DELETE /api/v1/domains/{domain}', () => {
  const addressCount = async (domain: string) =>
    (await testEnv.DB.prepare('SELECT count(*) AS n FROM addresses WHERE address LIKE ?').bind(`%@${domain}`).first<{ n: number }>())!.n;

  it('turns a signup down: the domain, its mailbox and the account go, and the name can be signed up for again', async () => {
    const account = await signup('turn-down.test');
    const admin = await adminKey();
    const res = await v1(admin, '/domains/turn-down.test', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ domain: 'turn-down.test', deleted: true, addresses_deleted: 1, users_deleted: 1 });

    expect((await json(await v1(admin, '/domains/pending'))).data.map((d: any) => d.domain)).not.toContain('turn-down.test');
    expect(await addressCount('turn-down.test')).toBe(0);
    const grants = await testEnv.DB.prepare('SELECT count(*) AS n FROM permissions WHERE domain_id NOT IN (SELECT id FROM domains)').first<{ n: number }>();
    expect(grants!.n).toBe(0);
    // The account's session died with it.
    expect((await v1(account.token, '/domains')).status).toBe(401);
    // The name is free again.
    const again = await signup('turn-down.test');
    expect((await json(await v1(admin, '/domains/pending'))).data.map((d: any) => d.domain)).toContain(again.domain);
  });

  it('is refused whole while an address on the domain holds mail, and goes through once that mailbox is deleted', async () => {
    const account = await activeAccount('in-use.test');
    const spare = await json(await call('/admin/new_address', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'spare', domain: 'in-use.test' }) }));
    expect(spare.address).toBe('spare@in-use.test');
    const mail = new TestEmailMessage('a@sender.test', account.email, message(account.email));
    await deliver(mail);
    expect(mail.rejected).toBeNull();

    const refused = await v1(account.admin, '/domains/in-use.test', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatchObject({ code: 'domain_in_use', param: 'domain', message: expect.stringContaining('1 address on in-use.test still holds mail') });
    // Nothing changed: the empty address, the account and its mail are all still there.
    expect(await addressCount('in-use.test')).toBe(2);
    expect((await inbox(account.token, account.email)).count).toBe(1);
    expect((await json(await v1(account.admin, '/domains'))).data.map((d: any) => d.domain)).toContain('in-use.test');

    const found = await json(await call(`/admin/addresses?query=${encodeURIComponent(account.email)}`, { headers: admin }));
    const [row] = found.results.filter((r: any) => r.address === account.email);
    expect((await call(`/admin/addresses/${row.address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const res = await v1(account.admin, '/domains/in-use.test', { method: 'DELETE' });
    expect((await json(res)).data).toEqual({ domain: 'in-use.test', deleted: true, addresses_deleted: 1, users_deleted: 1 });
    expect(await addressCount('in-use.test')).toBe(0);
    // Mail for it is no longer ours.
    const late = new TestEmailMessage('a@sender.test', 'spare@in-use.test', message('spare@in-use.test'));
    await deliver(late);
    expect(late.rejected).not.toBeNull();
  });

  it('keeps DOMAINS entries, answers 404 for an unknown domain, and is for admins only', async () => {
    const account = await signup('not-yours.test');
    const admin = await adminKey();
    const configured = await v1(admin, '/domains/mail.test', { method: 'DELETE' });
    expect(configured.status).toBe(409);
    expect((await json(configured)).error).toMatchObject({ code: 'domain_configured', message: expect.stringContaining('DOMAINS') });
    expect((await json(await v1(admin, '/domains/nowhere.test', { method: 'DELETE' }))).error.code).toBe('domain_not_found');
    // Its own signup holds manage_domains on it, which does not reach deletion.
    const own = await v1(account.token, '/domains/not-yours.test', { method: 'DELETE' });
    expect(own.status).toBe(403);
    expect((await json(own)).error.code).toBe('access_denied');
    expect((await json(await v1(admin, '/domains/pending'))).data.map((d: any) => d.domain)).toContain('not-yours.test');
  });

  it('keeps an account that owns a mailbox on another domain, with that mailbox and its mail', async () => {
    const account = await signup('keeps-user.test');
    const own = await v1(account.token, '/auth/me/addresses', { method: 'POST', body: JSON.stringify({ name: 'keeps-user-elsewhere' }) });
    expect(own.status).toBe(201);
    const elsewhere = 'keeps-user-elsewhere@example.com';
    const mail = new TestEmailMessage('a@sender.test', elsewhere, message(elsewhere));
    await deliver(mail);
    expect(mail.rejected).toBeNull();
    const admin = await adminKey();
    const res = await v1(admin, '/domains/keeps-user.test', { method: 'DELETE' });
    expect((await json(res)).data).toEqual({ domain: 'keeps-user.test', deleted: true, addresses_deleted: 1, users_deleted: 0 });
    // The account still reaches its other mailbox and the mail in it.
    expect((await inbox(account.token, elsewhere)).count).toBe(1);
  });

  it('refuses a domain with more addresses than it deletes at once, and changes nothing', async () => {
    await activeAccount('crowded.test');
    for (let i = 0; i < 10; i++) {
      const made = await call('/admin/new_address', { method: 'POST', headers: admin, body: JSON.stringify({ name: `extra${i}`, domain: 'crowded.test' }) });
      expect(made.status).toBe(200);
    }
    const res = await v1(await adminKey(), '/domains/crowded.test', { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toMatchObject({ code: 'domain_in_use', message: 'crowded.test has 11 addresses; a domain is deleted with at most 10: delete the others first.' });
    expect(await addressCount('crowded.test')).toBe(11);
  });

  it('matches addresses on the domain exactly, not on a longer name that ends the same way', async () => {
    await signup('ab.test');
    await signup('xab.test');
    const admin = await adminKey();
    expect((await json(await v1(admin, '/domains/ab.test', { method: 'DELETE' }))).data.addresses_deleted).toBe(1);
    expect(await addressCount('xab.test')).toBe(1);
  });
});
