/** Wrong admin passwords are counted per client address (CF-Connecting-IP) and throttled. */
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, envWith, json } from './helpers';

const LIMIT = 10; // ADMIN_AUTH_FAILURES_PER_MINUTE in vitest.config.ts
const from = (ip: string, password: string) => ({ 'cf-connecting-ip': ip, 'x-admin-auth': password });

describe('admin password throttle', () => {
  it('answers 401 to the first wrong passwords, then 429 with Retry-After, the right password included', async () => {
    const ip = '198.51.100.1';
    for (let i = 0; i < LIMIT; i++) {
      const res = await call('/admin/addresses', { headers: from(ip, `wrong-${i}`) });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await call('/admin/addresses', { headers: from(ip, 'wrong-again') });
    expect(blocked.status).toBe(429);
    expect((await json(blocked)).error.code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Refusing the right password too is what stops a guesser from learning it found one.
    expect((await call('/admin/addresses', { headers: from(ip, ADMIN_PASSWORD) })).status).toBe(429);
    expect((await call('/admin/session', { method: 'POST', headers: from(ip, ADMIN_PASSWORD) })).status).toBe(429);
  });

  it('does not block the right password from another address', async () => {
    for (let i = 0; i <= LIMIT; i++) await call('/admin/session', { method: 'POST', headers: from('198.51.100.2', 'guess') });
    expect((await call('/admin/session', { method: 'POST', headers: from('198.51.100.2', 'guess') })).status).toBe(429);
    const admin = await call('/admin/session', { method: 'POST', headers: from('203.0.113.7', ADMIN_PASSWORD) });
    expect(admin.status).toBe(200);
    expect((await call('/admin/addresses', { headers: from('203.0.113.7', ADMIN_PASSWORD) })).status).toBe(200);
  });

  it('counts POST /admin/session, the admin API and /api/v1 x-admin-auth together', async () => {
    const ip = '198.51.100.3';
    const tries = [
      () => call('/admin/session', { method: 'POST', headers: from(ip, 'a') }),
      () => call('/admin/stats', { headers: from(ip, 'b') }),
      () => call('/api/v1/keys', { method: 'POST', headers: from(ip, 'c'), body: JSON.stringify({ type: 'admin' }) }),
    ];
    for (let i = 0; i < LIMIT; i++) expect((await tries[i % 3]!()).status).toBe(401);
    for (const attempt of tries) expect((await attempt()).status).toBe(429);
  });

  it('does not count successful logins or requests without a password', async () => {
    const ip = '198.51.100.4';
    for (let i = 0; i < LIMIT * 2; i++) expect((await call('/admin/stats', { headers: from(ip, ADMIN_PASSWORD) })).status).toBe(200);
    for (let i = 0; i < LIMIT * 2; i++) expect((await call('/admin/stats', { headers: { 'cf-connecting-ip': ip } })).status).toBe(401);
    expect((await call('/admin/stats', { headers: from(ip, ADMIN_PASSWORD) })).status).toBe(200);
  });

  it('can be switched off with ADMIN_AUTH_FAILURES_PER_MINUTE=0', async () => {
    const e = envWith({ ADMIN_AUTH_FAILURES_PER_MINUTE: '0' });
    for (let i = 0; i < LIMIT + 5; i++) expect((await call('/admin/stats', { headers: from('198.51.100.5', 'nope') }, e)).status).toBe(401);
    expect((await call('/admin/stats', { headers: from('198.51.100.5', ADMIN_PASSWORD) }, e)).status).toBe(200);
  });
});
