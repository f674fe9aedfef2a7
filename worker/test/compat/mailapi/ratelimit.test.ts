/**
 * The guide's limits, per token: MAILAPI_RATE_PER_MINUTE (100) and MAILAPI_RATE_PER_HOUR (1000),
 * pinned low here so the test is quick. Counted in the RateLimiter Durable Object.
 */
import { describe, expect, it } from 'vitest';
import { call, createAddress, envWith } from '../../helpers';
import { adminKey } from '../../v1/helpers';
import { expectError, mailapi, ok, post } from './helpers';

describe('per-token rate limits', () => {
  it('refuses the request past the per-minute limit with 429, Retry-After and the guide\'s envelope; other tokens are unaffected', async () => {
    const e = envWith({ MAILAPI_RATE_PER_MINUTE: '3', MAILAPI_RATE_PER_HOUR: '0' });
    const box = await createAddress('limited-minute');
    const other = await createAddress('unlimited-neighbour');
    // Every endpoint counts against the same budget.
    const first = await mailapi(box.jwt, '/tokens/me', {}, e);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    await ok(await mailapi(box.jwt, `/mailbox/${box.address}/folders`, {}, e));
    await ok(await mailapi(box.jwt, '/mail/sent', {}, e));
    const refused = await post(box.jwt, '/mail/send', { from: box.address, to: ['a@far.test'], body: { text: 'x' } }, e);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const body = await expectError(refused, 429, 'RATE_LIMITED');
    expect(body.message).toContain('3 requests per minute');
    // The refused send did nothing: the sent list of the address is still empty.
    expect((await ok(await mailapi(box.jwt, '/mail/sent'))).total).toBe(0);
    await ok(await mailapi(other.jwt, '/tokens/me', {}, e));
  });

  it('refuses the request past the per-hour limit', async () => {
    const e = envWith({ MAILAPI_RATE_PER_MINUTE: '0', MAILAPI_RATE_PER_HOUR: '2' });
    const admin = await adminKey();
    await ok(await mailapi(admin, '/domains/pending', {}, e));
    const second = await mailapi(admin, '/tokens/me', {}, e);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    const refused = await mailapi(admin, '/tokens/me', {}, e);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect((await expectError(refused, 429, 'RATE_LIMITED')).message).toContain('2 requests per hour');
  });

  it('shows whichever window is closer to its limit', async () => {
    const e = envWith({ MAILAPI_RATE_PER_MINUTE: '10', MAILAPI_RATE_PER_HOUR: '4' });
    const box = await createAddress('two-windows');
    const res = await mailapi(box.jwt, '/tokens/me', {}, e);
    expect([res.headers.get('x-ratelimit-limit'), res.headers.get('x-ratelimit-remaining')]).toEqual(['4', '3']);
  });

  it('does not count signup, which needs no token, nor the health check', async () => {
    const e = envWith({ MAILAPI_RATE_PER_MINUTE: '1', MAILAPI_RATE_PER_HOUR: '1' });
    for (let i = 0; i < 3; i++) expect((await call('/compat/mailapi/health', {}, e)).status).toBe(200);
    const signup = await post(null, '/auth/signup', { domain: 'ratelimit.test', email: 'a@ratelimit.test', password: 'long enough', name: 'A' }, e);
    expect(signup.status).toBe(201);
    expect(signup.headers.get('x-ratelimit-limit')).toBeNull();
  });
});
