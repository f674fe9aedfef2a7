import { describe, expect, it } from 'vitest';
import { findAddressById } from '../src/db/addresses';
import { createDeps } from '../src/services/deps';
import { issueAddressToken, verifyAddressToken } from '../src/services/tokens';
import { admin, bearer, call, createAddress, deliver, envWith, json, TestEmailMessage, testEnv } from './helpers';
import { adminKey, mailboxKey, mailboxPath, v1 } from './v1/helpers';

const message = (to: string, subject: string) =>
  new TestEmailMessage('a@sender.test', to, new TextEncoder().encode(`From: a@sender.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@sender.test>\r\n\r\nbody\r\n`));

/** Every way an address token reads a mailbox: the batched first pages, a plain route, and v1. */
const readers = (address: string) => ['/api/parsed_mails', '/api/mails', '/api/parsed_mails?q=x', '/api/settings', `/api/v1${mailboxPath(address)}/messages`];

describe('dependencies built once per isolate', () => {
  it('reuses one frozen set of deps per env object, and builds another for a differently configured env', () => {
    const first = createDeps(testEnv);
    expect(createDeps(testEnv)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const other = envWith({ CATCH_ALL: 'create' });
    expect(createDeps(other)).not.toBe(first);
    expect(createDeps(other).config.catchAll).toBe('create');
    expect(first.config.catchAll).toBe('reject');
    // The same database binding keeps one drizzle client.
    expect(createDeps(other).db).toBe(first.db);
  });

  it('gives a caller that pins the clock its own deps', () => {
    const pinned = createDeps(testEnv, { now: () => 42 });
    expect(pinned).not.toBe(createDeps(testEnv));
    expect(pinned.clock.now()).toBe(42);
  });
});

describe('token checks stay immediate with per-isolate caches', () => {
  it('refuses a token on every read path as soon as it is rotated, though its signature was checked before', async () => {
    const { jwt, address, address_id } = await createAddress('cache-rotate');
    for (const path of readers(address)) expect((await call(path, { headers: bearer(jwt) })).status, path).toBe(200);
    const rotated = await json(await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin }));
    for (const path of readers(address)) {
      const res = await call(path, { headers: bearer(jwt) });
      expect(res.status, path).toBe(401);
      expect((await json(res)).error.code, path).toBe('invalid_token');
      expect((await call(path, { headers: bearer(rotated.jwt) })).status, path).toBe(200);
    }
  });

  it('refuses a used token on every read path once its address is deleted, with nothing returned', async () => {
    const { jwt, address, address_id } = await createAddress('cache-deleted');
    await deliver(message(address, 'before-delete'));
    for (const path of readers(address)) expect((await call(path, { headers: bearer(jwt) })).status, path).toBe(200);
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    for (const path of readers(address)) {
      const res = await call(path, { headers: bearer(jwt) });
      expect(res.status, path).toBe(401);
      expect(JSON.stringify(await json(res)), path).not.toContain('before-delete');
    }
  });

  it('expires a token whose signature check is cached once its exp passes', async () => {
    const e = envWith({ JWT_TTL_SECONDS: '60' });
    const issuedAt = Date.now();
    const row = (await json(await call('/api/new_address', { method: 'POST', body: JSON.stringify({ name: 'cache-exp' }) }, e))) as { address_id: number };
    const at = (ms: number) => createDeps(e, { now: () => issuedAt + ms });
    const address = await findAddressById(at(0).db, row.address_id);
    const token = await issueAddressToken(at(0), address!);
    expect((await verifyAddressToken(at(1_000), token)).id).toBe(row.address_id);
    expect((await verifyAddressToken(at(59_000), token)).id).toBe(row.address_id);
    await expect(verifyAddressToken(at(61_000), token)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('expires a token in the very second its exp names, as jose does, whether its signature check is cached or not', async () => {
    const e = envWith({ JWT_TTL_SECONDS: '60' });
    // On a whole second, so 59 999 ms later is still the second before exp and 60 000 ms is exp's own.
    const issuedAt = Math.floor(Date.now() / 1000) * 1000;
    const at = (ms: number) => createDeps(e, { now: () => issuedAt + ms });
    const tokenOf = async (name: string) => {
      const row = (await json(await call('/api/new_address', { method: 'POST', body: JSON.stringify({ name }) }, e))) as { address_id: number };
      return issueAddressToken(at(0), (await findAddressById(at(0).db, row.address_id))!);
    };
    const [cached, fresh] = [await tokenOf('cache-exp-edge-a'), await tokenOf('cache-exp-edge-b')];
    expect((await verifyAddressToken(at(59_999), cached)).address).toBe('cache-exp-edge-a@example.com');
    await expect(verifyAddressToken(at(60_000), fresh)).rejects.toMatchObject({ code: 'token_expired' });
    await expect(verifyAddressToken(at(60_000), cached)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('refuses a revoked API key at once, though it was used before', async () => {
    const { address } = await createAddress('cache-key');
    const adminSecret = await adminKey();
    const key = await mailboxKey(adminSecret, address);
    expect((await v1(key.key, `${mailboxPath(address)}/messages`)).status).toBe(200);
    expect((await v1(adminSecret, `/keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await v1(key.key, `${mailboxPath(address)}/messages`)).status).toBe(401);
  });
});

describe('delivery mailboxes cached per isolate', () => {
  it('rejects mail for an address deleted through the API, at once', async () => {
    const { address, address_id } = await createAddress('cache-mbox');
    const first = message(address, 'first');
    await deliver(first);
    expect(first.rejected).toBeNull();
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const second = message(address, 'second');
    await deliver(second);
    expect(second.rejected).toBe('No such mailbox here.');
  });

  it('fails a delivery temporarily when another isolate deleted the cached address, then rejects the retry', async () => {
    const { address, address_id } = await createAddress('cache-elsewhere');
    await deliver(message(address, 'cached'));
    // As another isolate would: the row goes, this isolate's cache does not hear of it.
    await testEnv.DB.prepare('delete from addresses where id = ?').bind(address_id).run();
    const attempt = message(address, 'after-delete');
    await expect(deliver(attempt)).rejects.toThrow();
    expect(attempt.rejected).toBeNull();
    const retry = message(address, 'after-delete');
    await deliver(retry);
    expect(retry.rejected).toBe('No such mailbox here.');
    const stored = await testEnv.DB.prepare('select count(*) as n from mails where address_id = ?').bind(address_id).first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });
});
