/** /tokens/me, /auth/signup, /permissions/bulk, /domains/pending, /domains/{domain}/approve and /health, with the guide's examples. */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createAddress, envWith, json } from '../../helpers';
import { adminKey, mailboxKey, v1 } from '../../v1/helpers';
import { expectError, expectSameShape, GUIDE_TIME, mailapi, ok, post } from './helpers';
import {
  APPROVE_RESPONSE,
  BULK_REQUEST,
  BULK_RESPONSE,
  PENDING_RESPONSE,
  SIGNUP_REQUEST,
  SIGNUP_RESPONSE,
  TOKEN_RESPONSE,
} from './seed-examples';

let admin: string;

beforeAll(async () => {
  admin = await adminKey('My API Token');
});

describe('POST /auth/signup', () => {
  it('answers the guide\'s example request with 201 and its example response; the token works at once', async () => {
    const body = await ok(await post(null, '/auth/signup', SIGNUP_REQUEST), 201);
    expectSameShape(body, SIGNUP_RESPONSE);
    const { token, expires_at, ...rest } = body;
    const { token: _t, expires_at: _e, ...example } = SIGNUP_RESPONSE;
    expect(rest).toEqual(example);
    expect(token).toMatch(/^ems_/);
    expect(expires_at).toMatch(GUIDE_TIME);
    // A user token for the new mailbox, which is active at once although the domain is pending.
    const me = await ok(await mailapi(token, '/tokens/me'));
    expect(me).toMatchObject({ token_type: 'user', email: 'admin@yourdomain.com', name: 'Your Name', is_active: true, expires_at: expires_at });
    expect((await ok(await mailapi(token, '/mailbox/admin@yourdomain.com/folders'))).mailbox).toBe('admin@yourdomain.com');
    // The pending domain sends nothing yet.
    await expectError(await post(token, '/mail/send', { from: 'admin@yourdomain.com', to: ['a@far.test'], body: { text: 'x' } }), 403, 'DOMAIN_NOT_ALLOWED');
  });

  it('checks the guide\'s rules: email ends with @domain, password of 8 or more, domain not taken, 3 attempts per hour per domain', async () => {
    const base = { domain: 'rules.test', email: 'me@rules.test', password: 'long enough', name: 'Me' };
    await expectError(await post(null, '/auth/signup', { ...base, email: 'me@other.test' }), 400, 'VALIDATION_FAILED');
    await expectError(await post(null, '/auth/signup', { ...base, password: 'short' }), 400, 'VALIDATION_FAILED');
    await expectError(await post(null, '/auth/signup', { ...base, domain: undefined }), 400, 'VALIDATION_FAILED');
    await ok(await post(null, '/auth/signup', base), 201);
    await expectError(await post(null, '/auth/signup', base), 409, 'DOMAIN_EXISTS');
    await expectError(await post(null, '/auth/signup', base), 409, 'DOMAIN_EXISTS');
    const limited = await post(null, '/auth/signup', base);
    await expectError(limited.clone(), 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('is off with SIGNUP=off, and behind the site password when PASSWORDS is set', async () => {
    const request = { domain: 'closed.test', email: 'me@closed.test', password: 'long enough', name: 'Me' };
    await expectError(await post(null, '/auth/signup', request, envWith({ SIGNUP: 'off' })), 403, 'SIGNUP_DISABLED');
    const privateSite = envWith({ PASSWORDS: 'site-password' });
    await expectError(await post(null, '/auth/signup', request, privateSite), 401, 'UNAUTHORIZED');
    const res = await call('/compat/mailapi/api/v1/auth/signup', { method: 'POST', headers: { 'x-custom-auth': 'site-password' }, body: JSON.stringify(request) }, privateSite);
    expect(res.status).toBe(201);
  });
});

describe('GET /tokens/me', () => {
  it('describes an admin key in the guide\'s fields (and, as in the guide, without a success field)', async () => {
    const body = await ok(await mailapi(admin, '/tokens/me'));
    expectSameShape(body, TOKEN_RESPONSE);
    const { id, token_prefix, created_at, last_used_at, ...rest } = body;
    const { id: _i, token_prefix: _p, created_at: _c, last_used_at: _l, ...example } = TOKEN_RESPONSE;
    expect(rest).toEqual(example);
    expect(Number.isInteger(id)).toBe(true);
    expect(token_prefix).toBe(admin.slice(0, 12));
    expect(created_at).toMatch(GUIDE_TIME);
    expect(last_used_at).toMatch(GUIDE_TIME);
  });

  it('calls mailbox keys, address tokens and sessions "user" tokens, with their mailbox', async () => {
    const box = await createAddress('token-owner');
    const key = await mailboxKey(admin, box.address, { name: 'ci', expires_at: '2099-01-01T00:00:00Z' });
    expect(await ok(await mailapi(key.key, '/tokens/me'))).toMatchObject({ token_type: 'user', email: box.address, name: 'ci', is_active: true, expires_at: '2099-01-01T00:00:00Z' });
    const jwt = await ok(await mailapi(box.jwt, '/tokens/me'));
    expectSameShape(jwt, TOKEN_RESPONSE);
    expect(jwt).toMatchObject({ token_type: 'user', email: box.address, expires_at: null, token_prefix: box.jwt.slice(0, 12) });
  });
});

describe('POST /permissions/bulk', () => {
  it('answers the guide\'s example exactly: 4 granted, manage_domains skipped (signup granted it)', async () => {
    await ok(await post(null, '/auth/signup', { domain: 'domain.com', email: 'user@domain.com', password: 'long enough', name: 'User' }), 201);
    expect(await ok(await post(admin, '/permissions/bulk', BULK_REQUEST), 201)).toEqual(BULK_RESPONSE);
    expect(await ok(await post(admin, '/permissions/bulk', BULK_REQUEST), 201)).toEqual({
      success: true,
      message: 'Granted 0 permissions, skipped 5 already existing',
      granted: [],
      skipped: BULK_REQUEST.permissions,
    });
  });

  it('refuses unknown permissions (400), users and domains (404)', async () => {
    await expectError(await post(admin, '/permissions/bulk', { ...BULK_REQUEST, permissions: ['be_root'] }), 400, 'VALIDATION_FAILED');
    await expectError(await post(admin, '/permissions/bulk', { ...BULK_REQUEST, email: 'ghost@domain.com' }), 404, 'USER_NOT_FOUND');
    await expectError(await post(admin, '/permissions/bulk', { ...BULK_REQUEST, domain: 'nowhere.test' }), 404, 'DOMAIN_NOT_FOUND');
  });
});

describe('GET /domains/pending and POST /domains/{domain}/approve', () => {
  it('lists pending domains in the guide\'s fields, then approval answers the guide\'s example and activates the domain with its DKIM key', async () => {
    const signup = await ok(await post(null, '/auth/signup', { domain: 'newdomain.com', email: 'admin@newdomain.com', password: 'long enough', name: 'New' }), 201);
    const pending = await ok(await mailapi(admin, '/domains/pending'));
    expectSameShape(pending, PENDING_RESPONSE);
    expect(pending.total).toBe(pending.domains.length);
    const entry = pending.domains.find((d: any) => d.domain === 'newdomain.com');
    expect(entry).toEqual({ domain: 'newdomain.com', active: false, created: expect.stringMatching(GUIDE_TIME), creator_email: 'admin@newdomain.com' });

    expect(await ok(await post(admin, '/domains/newdomain.com/approve', {}))).toEqual(APPROVE_RESPONSE);
    const after = await ok(await mailapi(admin, '/domains/pending'));
    expect(after.domains.map((d: any) => d.domain)).not.toContain('newdomain.com');
    expect(after.total).toBe(pending.total - 1);
    const dns = await json(await v1(admin, '/domains/newdomain.com/dns'));
    expect(dns.data.records.some((r: any) => r.name.endsWith('._domainkey.newdomain.com') && r.value.startsWith('v=DKIM1;'))).toBe(true);
    // Its owner may send from it now.
    expect((await post(signup.token, '/mail/send', { from: 'admin@newdomain.com', to: ['a@far.test'], body: { text: 'x' } })).status).toBe(202);
  });

  it('answers DOMAIN_NOT_FOUND (404) for a domain it does not know', async () => {
    await expectError(await post(admin, '/domains/unknown.test/approve', {}), 404, 'DOMAIN_NOT_FOUND');
  });
});

describe('GET /health', () => {
  it('answers at the root of the door without a token, and checks the database', async () => {
    const res = await call('/compat/mailapi/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy', database: 'ok' });
  });
});
