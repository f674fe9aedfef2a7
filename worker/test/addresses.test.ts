import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, envWith, json } from './helpers';

const newAddress = (body: unknown, headers: Record<string, string> = {}, e?: Env) =>
  call('/api/new_address', { method: 'POST', body: JSON.stringify(body), headers }, e);

describe('POST /api/new_address', () => {
  it('creates a random address on the first domain when no name is given', async () => {
    const res = await newAddress({});
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.address).toMatch(/^[a-z0-9]{10}@example\.com$/);
    expect(body.address_id).toEqual(expect.any(Number));
    expect(body.jwt.split('.')).toHaveLength(3);
  });

  it('treats an empty name as "pick one" and ignores unknown fields, as existing clients send them', async () => {
    const res = await newAddress({ name: '', cf_token: 'x' });
    expect(res.status).toBe(200);
  });

  it('creates a chosen name on a chosen domain, lowercased', async () => {
    const body = await json(await newAddress({ name: 'Alice.Smith_1', domain: 'mail.test' }));
    expect(body.address).toBe('alice.smith_1@mail.test');
  });

  it('answers 409 address_taken for a name in use', async () => {
    await newAddress({ name: 'taken' });
    const res = await newAddress({ name: 'taken' });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toMatchObject({ code: 'address_taken', param: 'name' });
  });

  it.each([['has space'], ['.leading'], ['trailing.'], ['dou..ble'], ['a'.repeat(65)], ['ünïcode'], ['plus+tag']])(
    'refuses the name %j with 400 validation_failed',
    async (name) => {
      const res = await newAddress({ name });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'name' });
    },
  );

  it('refuses a domain that is not in DOMAINS', async () => {
    const res = await newAddress({ name: 'x', domain: 'evil.test' });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'domain' });
  });

  it('refuses a body that is not JSON, or of the wrong types', async () => {
    const notJson = await call('/api/new_address', { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).ok).toBe(false);
    const wrongType = await newAddress({ name: 42 });
    expect(wrongType.status).toBe(400);
    expect((await json(wrongType)).error.code).toBe('validation_failed');
  });

  it('requires the admin password when ADMIN_ONLY_CREATE is on', async () => {
    const e = envWith({ ADMIN_ONLY_CREATE: 'true' });
    const denied = await newAddress({ name: 'gated' }, {}, e);
    expect(denied.status).toBe(401);
    expect((await json(denied)).error.code).toBe('unauthorized');
    expect((await newAddress({ name: 'gated' }, admin, e)).status).toBe(200);
  });

  it('lets one IP address create NEW_ADDRESSES_PER_HOUR addresses an hour; others and the admin are not held back', async () => {
    const e = envWith({ NEW_ADDRESSES_PER_HOUR: '2' });
    const from = (ip: string, extra: Record<string, string> = {}) => newAddress({}, { 'cf-connecting-ip': ip, ...extra }, e);
    expect((await from('198.51.100.7')).status).toBe(200);
    expect((await from('198.51.100.7')).status).toBe(200);
    const third = await from('198.51.100.7');
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await json(third)).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('2 new addresses per hour from one IP address') });
    expect((await from('198.51.100.8')).status).toBe(200);
    // An IPv6 client is counted by its /64: another address in it is the same client.
    expect((await from('2001:db8:5:6::1')).status).toBe(200);
    expect((await from('2001:db8:5:6::2')).status).toBe(200);
    expect((await from('2001:db8:5:6:ffff::3')).status).toBe(429);
    expect((await from('2001:db8:5:7::1')).status).toBe(200);
    expect((await from('198.51.100.7', admin)).status).toBe(200);
    // 0 is no limit.
    for (let i = 0; i < 3; i++) expect((await newAddress({}, { 'cf-connecting-ip': '198.51.100.9' }, envWith({ NEW_ADDRESSES_PER_HOUR: '0' }))).status).toBe(200);
  });

  it('lets the admin create addresses through /admin/new_address whatever the switch', async () => {
    const e = envWith({ ADMIN_ONLY_CREATE: 'true' });
    const res = await call('/admin/new_address', { method: 'POST', body: JSON.stringify({ name: 'byadmin' }), headers: admin }, e);
    expect(res.status).toBe(200);
    expect((await json(res)).address).toBe('byadmin@example.com');
  });
});

describe('site password (PASSWORDS)', () => {
  const e = envWith({ PASSWORDS: 'open-sesame,second-pass' });

  it('gates the API with x-custom-auth when set', async () => {
    const denied = await newAddress({}, {}, e);
    expect(denied.status).toBe(401);
    expect((await json(denied)).error.code).toBe('unauthorized');
    expect((await newAddress({}, { 'x-custom-auth': 'wrong' }, e)).status).toBe(401);
    expect((await newAddress({}, { 'x-custom-auth': 'second-pass' }, e)).status).toBe(200);
  });

  it('also gates the admin API and leaves /health open', async () => {
    expect((await call('/admin/addresses', { headers: admin }, e)).status).toBe(401);
    expect((await call('/admin/addresses', { headers: { ...admin, 'x-custom-auth': 'open-sesame' } }, e)).status).toBe(200);
    expect((await call('/health', {}, e)).status).toBe(200);
  });

  it('needs the token as well: a site password alone reads nothing', async () => {
    const res = await call('/api/mails', { headers: { 'x-custom-auth': 'open-sesame' } }, e);
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('missing_token');
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404', async () => {
    const res = await call('/api/nope');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers a known path asked with another method with 405 and the methods it takes', async () => {
    const who = await createAddress('wrong-method');
    // Asked with credentials: a door's authentication comes first, as for any request.
    const headers = { ...admin, ...bearer(who.jwt) };
    const cases: [string, string, string][] = [
      ['PUT', '/api/v1/keys', 'GET, HEAD, POST'],
      ['PATCH', '/api/mails/2', 'DELETE'],
      ['DELETE', '/api/new_address', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(path, { method, headers });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect((await json(res)).error).toMatchObject({ code: 'method_not_allowed', message: `Method ${method} is not allowed on ${path}; use ${allow}.` });
    }
    // In a door's own dialect.
    const door = await call('/compat/mailapi/api/v1/mail/send', { method: 'GET', headers: { 'x-mailapi-token': who.jwt } });
    expect(door.status).toBe(405);
    expect(door.headers.get('allow')).toBe('POST');
    expect(await json(door)).toMatchObject({ success: false, error: 'METHOD_NOT_ALLOWED' });
    // No route at all is still a 404, without Allow.
    const none = await call('/api/v1/nothing-here', { method: 'PUT', headers });
    expect(none.status).toBe(404);
    expect(none.headers.get('allow')).toBeNull();
  });

  it('answers a misconfigured server with a generic 500 that names the request id, not the problem', async () => {
    const e = envWith({ JWT_SECRET: 'short' });
    const res = await newAddress({}, {}, e);
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).toContain(res.headers.get('x-request-id'));
    expect(body.error.message).not.toContain('JWT_SECRET');
  });

  it('puts a request id on every response', async () => {
    const res = await call('/health');
    expect(res.headers.get('x-request-id')).toMatch(/^req_[a-z0-9]{20}$/);
  });

  it('refuses a non-numeric message id with 400', async () => {
    const { jwt } = await json(await newAddress({ name: 'ids' }));
    const res = await call('/api/mail/abc', { headers: bearer(jwt) });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'id' });
  });
});
