import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliver, envWith, json, searchIndexSettled, TestEmailMessage, testEnv } from './helpers';

describe('admin sessions (POST /admin/session)', () => {
  it('exchanges the password for a short-lived token that works as x-admin-token', async () => {
    const res = await call('/admin/session', { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    const { token, expires_at } = await json(res);
    const lifetime = Date.parse(expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(55 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
    expect((await call('/admin/addresses', { headers: { 'x-admin-token': token } })).status).toBe(200);
  });

  it('refuses a wrong password, an expired session, and an address token used as a session', async () => {
    expect((await call('/admin/session', { method: 'POST', headers: { 'x-admin-auth': 'nope' } })).status).toBe(401);
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('edgemail-admin')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(testEnv.JWT_SECRET));
    expect((await call('/admin/addresses', { headers: { 'x-admin-token': expired } })).status).toBe(401);
    const { jwt } = await createAddress('not-a-session');
    expect((await call('/admin/addresses', { headers: { 'x-admin-token': jwt } })).status).toBe(401);
  });

  it('does not let an admin session token act as an address token', async () => {
    const { token } = await json(await call('/admin/session', { method: 'POST', headers: admin }));
    const res = await call('/api/mails', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('invalid_token');
  });
});

describe('admin dashboard data', () => {
  it('counts addresses, received, sent and failed mail over 24 h and 7 days', async () => {
    // Storage is shared within a file, so compare against what earlier tests left.
    const before = await json(await call('/admin/stats', { headers: admin }));
    const a = await createAddress('stats-a');
    await createAddress('stats-b');
    await deliver(new TestEmailMessage('x@sender.test', 'stats-a@example.com', new TextEncoder().encode('Subject: one\r\nMessage-ID: <s1@x>\r\n\r\nhi\r\n')));
    await call('/api/send_mail', { method: 'POST', headers: bearer(a.jwt), body: JSON.stringify({ to_mail: 'stats-b@example.com', subject: 's', content: 'x' }) });
    await call('/api/send_mail', { method: 'POST', headers: bearer(a.jwt), body: JSON.stringify({ to_mail: 'ghost@example.com', subject: 's', content: 'x' }) });
    const stats = await json(await call('/admin/stats', { headers: admin }));
    expect(stats).toEqual({
      addresses: before.addresses + 2,
      received: { last_24h: before.received.last_24h + 2, last_7d: before.received.last_7d + 2 },
      sent: { last_24h: before.sent.last_24h + 2, last_7d: before.sent.last_7d + 2 },
      failed: { last_24h: before.failed.last_24h + 1, last_7d: before.failed.last_7d + 1 },
    });
  });

  it('shows the effective configuration without any secret', async () => {
    const res = await call('/admin/config', { headers: admin });
    const config = await json(res);
    expect(config).toMatchObject({ domains: ['example.com', 'mail.test'], catch_all: 'reject', provider: 'cloudflare', site_password_required: false });
    const text = JSON.stringify(config);
    for (const secret of [testEnv.JWT_SECRET, testEnv.ADMIN_PASSWORDS]) expect(text).not.toContain(secret);
  });

  it('tells clients the domains before they have a token (GET /api/public_config)', async () => {
    const res = await call('/api/public_config');
    expect(await json(res)).toEqual({ domains: ['example.com', 'mail.test'], admin_only_create: false, max_message_bytes: 26214400, signup: true, ai_enabled: false, smtp_proxy: null });
    const told = await call('/api/public_config', {}, envWith({ SMTP_PROXY_ADDRESS: 'smtp.example.org:587' }));
    expect((await json(told)).smtp_proxy).toBe('smtp.example.org:587');
  });

  it('seeds a long DOMAINS list (more rows than one D1 statement may bind)', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `seed${i}.test`);
    const e = envWith({ DOMAINS: ['example.com', ...many].join(',') });
    const res = await call('/api/public_config', {}, e);
    expect(res.status).toBe(200);
    expect((await json(res)).domains).toEqual(expect.arrayContaining(many));
    const { address } = await createAddress('seeded', 'seed39.test', e);
    expect(address).toBe('seeded@seed39.test');
  });

  it('closes a domain taken out of DOMAINS to new addresses; the addresses it has keep receiving', async () => {
    const withOld = envWith({ DOMAINS: 'example.com,mail.test,old-domain.test' });
    const { jwt } = await createAddress('keeper', 'old-domain.test', withOld);
    // The operator edits DOMAINS and deploys.
    const res = await call('/api/new_address', { method: 'POST', body: JSON.stringify({ name: 'newcomer', domain: 'old-domain.test' }) });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'domain' });
    expect((await json(await call('/api/public_config'))).domains).toEqual(['example.com', 'mail.test']);
    const raw = new TextEncoder().encode('From: a@sender.test\r\nSubject: still here\r\nMessage-ID: <kept-old@x>\r\n\r\nbody\r\n');
    const message = new TestEmailMessage('a@sender.test', 'keeper@old-domain.test', raw);
    await deliver(message);
    expect(message.rejected).toBeNull();
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results.map((m: any) => m.subject)).toEqual(['still here']);
    // Put back, it is open again.
    expect((await createAddress('returning', 'old-domain.test', withOld)).address).toBe('returning@old-domain.test');
  });
});

describe('searching a mailbox (GET /api/parsed_mails?q=)', () => {
  it('matches sender name, sender address, subject or preview, with a matching count', async () => {
    const { jwt } = await createAddress('searcher');
    const mails = [
      ['Alice <alice@shop.test>', 'Your order shipped'],
      ['Bob <bob@bank.test>', 'Statement ready'],
      ['Carol <news@shop.test>', 'Weekly 50% deals'],
    ];
    for (const [i, [from, subject]] of mails.entries()) {
      const raw = `From: ${from}\r\nSubject: ${subject}\r\nMessage-ID: <q${i}@x>\r\n\r\nbody ${i === 1 ? 'Your code is 482913.' : ''}\r\n`;
      await deliver(new TestEmailMessage('x@sender.test', 'searcher@example.com', new TextEncoder().encode(raw)));
    }
    const search = async (q: string) => json(await call(`/api/parsed_mails?q=${encodeURIComponent(q)}`, { headers: bearer(jwt) }));
    expect((await search('shop.test')).results.map((m: any) => m.subject)).toEqual(['Weekly 50% deals', 'Your order shipped']);
    expect((await search('STATEMENT')).count).toBe(1);
    expect((await search('bob')).results[0].from.address).toBe('bob@bank.test');
    expect((await search('50%')).count).toBe(1);
    expect((await search('5_%')).count).toBe(0);
    expect((await search('')).count).toBe(3);
    // The start of the body is searched too (through the preview): a code is found.
    expect((await search('482913')).results.map((m: any) => m.subject)).toEqual(['Statement ready']);
  });

  it('finds a word anywhere in the body, or a recipient, once the search index has the message', async () => {
    const { jwt } = await createAddress('deep-searcher');
    const filler = 'Nothing to see in this line of the newsletter.\r\n'.repeat(40);
    const raw = `From: News <news@paper.test>\r\nTo: deep-searcher+papers@example.com\r\nSubject: Weekly digest\r\nMessage-ID: <deep@x>\r\n\r\n${filler}Your ticket number is ZX-90417.\r\n`;
    await deliver(new TestEmailMessage('news@paper.test', 'deep-searcher+papers@example.com', new TextEncoder().encode(raw)));
    const other = `From: Shop <shop@paper.test>\r\nSubject: Receipt\r\nMessage-ID: <deep2@x>\r\n\r\nThanks.\r\n`;
    await deliver(new TestEmailMessage('shop@paper.test', 'deep-searcher@example.com', new TextEncoder().encode(other)));
    const search = async (q: string) => json(await call(`/api/parsed_mails?q=${encodeURIComponent(q)}`, { headers: bearer(jwt) }));
    // Far past the preview: only the index can find it.
    const [digest] = (await search('Weekly digest')).results;
    expect(digest.snippet).not.toContain('ZX-90417');
    await searchIndexSettled();
    expect(await search('zx-90417')).toMatchObject({ count: 1, results: [{ subject: 'Weekly digest' }] });
    expect(await search('+papers')).toMatchObject({ count: 1, results: [{ subject: 'Weekly digest' }] });
    // Still this mailbox only, and a phrase, not words in any order.
    expect((await search('90417 ZX')).count).toBe(0);
    const stranger = await createAddress('deep-stranger');
    expect((await json(await call('/api/parsed_mails?q=ZX-90417', { headers: bearer(stranger.jwt) }))).count).toBe(0);
  });
});
