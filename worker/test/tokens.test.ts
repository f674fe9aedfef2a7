import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliverFixture, envWith, json, testEnv } from './helpers';

const sign = (claims: Record<string, unknown>, secret: string, exp?: number) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (exp !== undefined) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
};

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(body).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  return body.error.message as string;
}

describe('address token matrix', () => {
  it('accepts a freshly issued token', async () => {
    const { jwt, address, address_id } = await createAddress('valid');
    const res = await call('/api/settings', { headers: bearer(jwt) });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ address, address_id, mail_count: 0 });
  });

  it('refuses a missing token with 401 missing_token', async () => {
    await expectError(await call('/api/mails'), 401, 'missing_token');
    await expectError(await call('/api/mails', { headers: { authorization: 'Basic abc' } }), 401, 'missing_token');
  });

  it('refuses a malformed token with 401 invalid_token', async () => {
    await expectError(await call('/api/mails', { headers: bearer('not.a.jwt') }), 401, 'invalid_token');
    await expectError(await call('/api/mails', { headers: bearer('garbage') }), 401, 'invalid_token');
  });

  it('refuses a token signed with another secret', async () => {
    const { address, address_id } = await createAddress('wrongsecret');
    const forged = await sign({ address, address_id, ver: 0 }, 'some-other-secret-0123456789');
    await expectError(await call('/api/mails', { headers: bearer(forged) }), 401, 'invalid_token');
  });

  it('refuses an expired token with 401 token_expired', async () => {
    const { address, address_id } = await createAddress('expired');
    const expired = await sign({ address, address_id, ver: 0 }, testEnv.JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
    await expectError(await call('/api/mails', { headers: bearer(expired) }), 401, 'token_expired');
  });

  it('issues expiring tokens when JWT_TTL_SECONDS is set', async () => {
    const e = envWith({ JWT_TTL_SECONDS: '3600' });
    const { jwt } = await createAddress('ttl', undefined, e);
    const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('revokes every earlier token when the token is rotated', async () => {
    const { jwt: old } = await createAddress('rotate');
    const rotated = await call('/api/rotate_token', { method: 'POST', headers: bearer(old) });
    expect(rotated.status).toBe(200);
    const { jwt: fresh } = await json(rotated);
    await expectError(await call('/api/mails', { headers: bearer(old) }), 401, 'invalid_token');
    expect((await call('/api/mails', { headers: bearer(fresh) })).status).toBe(200);
  });

  it('revokes tokens of a deleted address, with the same answer as a forged one', async () => {
    const { jwt, address_id } = await createAddress('deleted');
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const deletedMessage = await expectError(await call('/api/mails', { headers: bearer(jwt) }), 401, 'invalid_token');
    const forged = await sign({ address: 'nobody@example.com', address_id: 999999, ver: 0 }, testEnv.JWT_SECRET);
    const forgedMessage = await expectError(await call('/api/mails', { headers: bearer(forged) }), 401, 'invalid_token');
    expect(deletedMessage).toBe(forgedMessage);
  });

  it('keeps refusing a deleted address\'s token after someone creates the same address again', async () => {
    const { jwt: old, address_id } = await createAddress('reborn');
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const reborn = await createAddress('reborn');
    expect(reborn.address).toBe('reborn@example.com');
    await deliverFixture('no-message-id.eml', 'reborn@example.com');
    for (const path of ['/api/mails', '/api/parsed_mails', '/api/settings']) {
      await expectError(await call(path, { headers: bearer(old) }), 401, 'invalid_token');
    }
    expect((await call('/api/parsed_mails', { headers: bearer(reborn.jwt) })).status).toBe(200);
  });

  it('refuses a validly signed token whose address and id do not match', async () => {
    const a = await createAddress('mismatch-a');
    const b = await createAddress('mismatch-b');
    const crossed = await sign({ address: a.address, address_id: b.address_id, ver: 0 }, testEnv.JWT_SECRET);
    await expectError(await call('/api/mails', { headers: bearer(crossed) }), 401, 'invalid_token');
  });

  it('never lets one address read, download or delete another address\'s mail (404, not 403)', async () => {
    const owner = await createAddress('owner');
    const other = await createAddress('intruder');
    await deliverFixture('attachments.eml', 'owner@example.com');
    const { results } = await json(await call('/api/parsed_mails', { headers: bearer(owner.jwt) }));
    const id = results[0].id;
    for (const path of [`/api/mail/${id}`, `/api/parsed_mail/${id}`, `/api/mails/${id}/raw`, `/api/mails/${id}/attachments/0`]) {
      const res = await call(path, { headers: bearer(other.jwt) });
      expect(res.status, path).toBe(404);
    }
    expect((await call(`/api/mails/${id}`, { method: 'DELETE', headers: bearer(other.jwt) })).status).toBe(404);
    const otherList = await json(await call('/api/mails', { headers: bearer(other.jwt) }));
    expect(otherList).toEqual({ results: [], count: 0 });
    // The owner still has it, attachments included (an intruder's delete touched no R2 object).
    expect((await call(`/api/mails/${id}/attachments/1`, { headers: bearer(owner.jwt) })).status).toBe(200);
  });
});
