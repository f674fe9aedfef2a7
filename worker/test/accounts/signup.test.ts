import { describe, expect, it } from 'vitest';
import { call, envWith, json, testEnv } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';
import { PASSWORD, signup } from './helpers';

const post = (body: unknown, e: Env = testEnv) => call('/api/v1/auth/signup', { method: 'POST', body: JSON.stringify(body) }, e);

describe('POST /api/v1/auth/signup', () => {
  it('creates the account with the seed example: 201, a session token, the mailbox at once, the domain pending', async () => {
    const res = await post({ domain: 'yourdomain.com', email: 'admin@yourdomain.com', password: 'SecurePassword123', name: 'Your Name' });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data).toMatchObject({
      token_type: 'user',
      email: 'admin@yourdomain.com',
      name: 'Your Name',
      domain: 'yourdomain.com',
      domain_status: 'pending',
      message: "Account created! Your domain 'yourdomain.com' is pending admin approval.",
    });
    expect(data.token).toMatch(/^ems_[A-Za-z0-9]{40}$/);
    expect(Date.parse(data.expires_at) - Date.now()).toBeGreaterThan(13 * 86_400_000);

    // The token logs in at once; the mailbox is theirs; manage_domains is granted on the domain.
    const me = await json(await v1(data.token, '/auth/me'));
    expect(me.data.user).toMatchObject({ email: 'admin@yourdomain.com', name: 'Your Name' });
    expect(me.data.addresses.map((a: any) => a.address)).toEqual(['admin@yourdomain.com']);
    expect(me.data.permissions).toEqual([{ email: 'admin@yourdomain.com', domain: 'yourdomain.com', permissions: ['manage_domains'] }]);
    const folders = await v1(data.token, '/mailboxes/admin%40yourdomain.com/folders');
    expect(folders.status).toBe(200);

    const pending = await json(await v1(await adminKey(), '/domains/pending'));
    expect(pending.data).toEqual([expect.objectContaining({ domain: 'yourdomain.com', status: 'pending', active: false, creator_email: 'admin@yourdomain.com' })]);
  });

  it('stores only a salted PBKDF2-SHA256 hash at 100,000 iterations', async () => {
    await signup('hash-check.test');
    const row = await testEnv.DB.prepare('SELECT password_hash FROM users WHERE email = ?').bind('admin@hash-check.test').first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
    await signup('hash-check2.test');
    const other = await testEnv.DB.prepare('SELECT password_hash FROM users WHERE email = ?').bind('admin@hash-check2.test').first<{ password_hash: string }>();
    expect(other!.password_hash.split('$')[2]).not.toBe(row!.password_hash.split('$')[2]);
  });

  it('refuses an email outside the domain, a short password and a missing field, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ domain: 'shape.test', email: 'me@elsewhere.test', password: PASSWORD, name: 'x' }, 'email'],
      [{ domain: 'shape.test', email: 'me@sub.shape.test', password: PASSWORD, name: 'x' }, 'email'],
      [{ domain: 'shape.test', email: 'me@shape.test', password: '1234567', name: 'x' }, 'password'],
      [{ domain: 'not a domain', email: 'me@not a domain', password: PASSWORD, name: 'x' }, 'domain'],
      [{ email: 'me@shape.test', password: PASSWORD }, 'domain'],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error, JSON.stringify(body)).toMatchObject({ code: 'validation_failed', param });
    }
    // Exactly eight characters is enough.
    expect((await post({ domain: 'eight.test', email: 'me@eight.test', password: '12345678', name: 'x' })).status).toBe(201);
  });

  it('refuses a domain that exists, pending or active', async () => {
    await signup('taken.test');
    const again = await post({ domain: 'taken.test', email: 'other@taken.test', password: PASSWORD, name: 'x' });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: 'domain_exists', param: 'domain' });
    const seeded = await post({ domain: 'Example.com', email: 'boss@example.com', password: PASSWORD, name: 'x' });
    expect((await json(seeded)).error.code).toBe('domain_exists');
  });

  it('allows at most 3 signups per hour per domain (429 with Retry-After), other domains unaffected', async () => {
    const attempt = (domain: string) => post({ domain, email: `a@${domain}`, password: PASSWORD, name: 'x' });
    expect((await attempt('busy.test')).status).toBe(201);
    expect((await attempt('busy.test')).status).toBe(409);
    expect((await attempt('busy.test')).status).toBe(409);
    const limited = await attempt('busy.test');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await json(limited)).error).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((await attempt('quiet.test')).status).toBe(201);
  });

  it('counts each signup against NEW_ADDRESSES_PER_HOUR for the caller\'s IP, with new temporary addresses and accounts\' own ones', async () => {
    const e = envWith({ NEW_ADDRESSES_PER_HOUR: '2' });
    const from = (ip: string, domain: string) =>
      call('/api/v1/auth/signup', { method: 'POST', headers: { 'cf-connecting-ip': ip }, body: JSON.stringify({ domain, email: `a@${domain}`, password: PASSWORD, name: 'x' }) }, e);
    const first = await from('203.0.113.5', 'ip-one.test');
    expect(first.status).toBe(201);
    const session = (await json(first)).data.token;
    expect((await call('/api/new_address', { method: 'POST', headers: { 'cf-connecting-ip': '203.0.113.5' }, body: '{}' }, e)).status).toBe(200);
    // An account's own address on an open domain counts as anyone's does.
    const own = await call('/api/v1/auth/me/addresses', { method: 'POST', headers: { 'cf-connecting-ip': '203.0.113.5', authorization: `Bearer ${session}` }, body: '{}' }, e);
    expect(own.status).toBe(429);
    const limited = await from('203.0.113.5', 'ip-two.test');
    expect(limited.status).toBe(429);
    expect((await json(limited)).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('new addresses per hour from one IP address') });
    // Nothing was made for it; another IP is not held back.
    expect((await from('203.0.113.6', 'ip-two.test')).status).toBe(201);
  });

  it('is refused when SIGNUP=off', async () => {
    const res = await post({ domain: 'closed.test', email: 'a@closed.test', password: PASSWORD, name: 'x' }, envWith({ SIGNUP: 'off' }));
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('signup_disabled');
  });
});
