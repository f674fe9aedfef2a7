import { describe, expect, it } from 'vitest';
import { call, json, testEnv } from '../helpers';
import { v1 } from '../v1/helpers';
import { login, PASSWORD, signup } from './helpers';

const loginRes = (email: string, password: string) => call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });

describe('log in, sessions, log out', () => {
  it('logs in with email and password; a wrong password and an unknown user get the same 401', async () => {
    const account = await signup('login.test');
    const ok = await json(await loginRes('Admin@Login.test', PASSWORD));
    expect(ok.data).toMatchObject({ token_type: 'user', email: 'admin@login.test', name: 'Owner of login.test' });
    expect(ok.data.token).not.toBe(account.token);
    const wrong = await loginRes('admin@login.test', 'not the password');
    const unknown = await loginRes('nobody@login.test', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json(wrong)).error).toEqual({ ...(await json(unknown)).error });
  });

  it('allows 10 log-in attempts per account per 15 minutes, then 429 even with the right password', async () => {
    const account = await signup('throttle.test');
    for (let i = 0; i < 10; i++) expect((await loginRes(account.email, `guess ${i}`)).status).toBe(401);
    const limited = await loginRes(account.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    const other = await signup('throttle-other.test');
    expect((await loginRes(other.email, PASSWORD)).status).toBe(200);
  });

  it('works as a user token in Authorization and in X-MAILAPI-TOKEN', async () => {
    const { token } = await signup('header.test');
    expect((await call('/api/v1/auth/me', { headers: { 'x-mailapi-token': token } })).status).toBe(200);
    expect((await v1(token, '/auth/me')).status).toBe(200);
  });

  it('stores only a hash of the token', async () => {
    const { token } = await signup('hashed-session.test');
    const rows = await testEnv.DB.prepare('SELECT * FROM sessions').all();
    expect(JSON.stringify(rows.results)).not.toContain(token.slice(4));
  });

  it('logs out: the token stops working at once, other sessions go on', async () => {
    const account = await signup('logout.test');
    const second = await login(account.email);
    expect((await v1(account.token, '/auth/logout', { method: 'POST' })).status).toBe(200);
    const after = await v1(account.token, '/auth/me');
    expect(after.status).toBe(401);
    expect((await json(after)).error.code).toBe('token_expired');
    expect((await v1(second, '/auth/me')).status).toBe(200);
  });

  it('lists sessions and revokes another one by id', async () => {
    const account = await signup('revoke.test');
    const other = await login(account.email);
    const list = await json(await v1(account.token, '/auth/sessions'));
    expect(list.data).toHaveLength(2);
    const them = list.data.find((s: any) => !s.current);
    expect((await v1(account.token, `/auth/sessions/${them.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await v1(other, '/auth/me')).status).toBe(401);
    expect((await v1(account.token, `/auth/sessions/${them.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('expires: a session past its time answers token_expired', async () => {
    const account = await signup('expiry.test');
    await testEnv.DB.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)').bind(Date.now() - 1000, account.email).run();
    const res = await v1(account.token, '/auth/me');
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('token_expired');
  });

  it('lets a user add addresses they own: on an open domain, not on a domain they do not manage', async () => {
    const account = await signup('own-addr.test');
    const created = await v1(account.token, '/auth/me/addresses', { method: 'POST', body: JSON.stringify({ name: 'my-temp', domain: 'example.com' }) });
    expect(created.status).toBe(201);
    expect((await json(created)).data.address).toBe('my-temp@example.com');
    const me = await json(await v1(account.token, '/auth/me'));
    expect(me.data.addresses.map((a: any) => a.address)).toEqual(['admin@own-addr.test', 'my-temp@example.com']);
    const alsoOpen = await v1(account.token, '/auth/me/addresses', { method: 'POST', body: JSON.stringify({ name: 'x', domain: 'mail.test' }) });
    expect(alsoOpen.status).toBe(201);
    const other = await signup('foreign-addr.test');
    const notMine = await v1(other.token, '/auth/me/addresses', { method: 'POST', body: JSON.stringify({ name: 'x', domain: 'own-addr.test' }) });
    expect((await json(notMine)).error.code).toBe('access_denied');
  });
});
