import { describe, expect, it } from 'vitest';
import { admin, call, createAddress, deliverFixture, envWith, json } from '../helpers';
import { adminKey, mailboxKey, mailboxPath, v1 } from './helpers';

type Caller = 'admin' | 'mailbox' | 'other_mailbox' | 'jwt' | 'expired' | 'revoked' | 'none';

/** Every v1 route, with the status each kind of caller must get. */
async function world() {
  const adminSecret = await adminKey();
  const owner = await createAddress('matrix-owner');
  const other = await createAddress('matrix-other');
  await deliverFixture('attachments.eml', owner.address);
  const own = await mailboxKey(adminSecret, owner.address);
  const foreign = await mailboxKey(adminSecret, other.address);
  const expired = await mailboxKey(adminSecret, owner.address, { expires_at: '2020-01-01T00:00:00Z' });
  const revoked = await mailboxKey(adminSecret, owner.address);
  expect((await v1(adminSecret, `/keys/${revoked.id}`, { method: 'DELETE' })).status).toBe(200);
  const [message] = (await json(await v1(adminSecret, `${mailboxPath(owner.address)}/messages`))).data;
  const draft = (await json(await v1(adminSecret, `${mailboxPath(owner.address)}/drafts`, { method: 'POST', body: JSON.stringify({ subject: 'd' }) }))).data;
  const callers: Record<Caller, string | null> = {
    admin: adminSecret,
    mailbox: own.key,
    other_mailbox: foreign.key,
    jwt: owner.jwt,
    expired: expired.key,
    revoked: revoked.key,
    none: null,
  };
  return { callers, mailbox: mailboxPath(owner.address), uid: message.uid, draftUid: draft.uid as string, ownKeyId: own.id };
}

const AUTH_FAILURES: Record<'expired' | 'revoked' | 'none', [number, string]> = {
  expired: [401, 'token_expired'],
  revoked: [401, 'token_expired'],
  none: [401, 'missing_token'],
};

describe('v1 auth matrix', () => {
  it('answers every route for every kind of caller as documented', async () => {
    const { callers, mailbox, uid, draftUid, ownKeyId } = await world();
    const mailboxRoutes: [string, string, string?][] = [
      ['GET', `${mailbox}/folders`],
      ['GET', `${mailbox}/messages`],
      ['GET', `${mailbox}/messages/${uid}`],
      ['GET', `${mailbox}/messages/${uid}/raw`],
      ['GET', `${mailbox}/messages/${uid}/attachments/0`],
      ['PATCH', `${mailbox}/messages/${uid}`, JSON.stringify({ flags: ['\\Flagged'] })],
      ['GET', `${mailbox}/search?q=chart`],
      ['POST', `${mailbox}/drafts`, JSON.stringify({ subject: 'd' })],
      ['PUT', `${mailbox}/drafts/${draftUid}`, JSON.stringify({ subject: 'd2' })],
    ];
    const adminRoutes: [string, string, string?][] = [
      ['GET', '/keys'],
      ['POST', '/keys', JSON.stringify({ type: 'admin' })],
      ['DELETE', `/keys/${ownKeyId}-nope`],
      ['GET', '/stats/delivery'],
      ['GET', '/stats/domain/example.com'],
    ];
    const check = async (caller: Caller, [method, path, body]: [string, string, string?], expected: [number, string | null]) => {
      const res = await v1(callers[caller], path, { method, body });
      const text = `${caller} ${method} ${path}`;
      expect(res.status, text).toBe(expected[0]);
      if (expected[1]) expect((await json(res)).error.code, text).toBe(expected[1]);
      else await res.arrayBuffer();
    };
    for (const route of mailboxRoutes) {
      const created = route[0] === 'POST' ? 201 : 200;
      await check('admin', route, [created, null]);
      await check('mailbox', route, [created, null]);
      await check('jwt', route, [created, null]);
      await check('other_mailbox', route, [404, 'mailbox_not_found']);
      for (const [caller, expected] of Object.entries(AUTH_FAILURES)) await check(caller as Caller, route, expected);
    }
    // A key's own record: any API key, but an address token or the admin password has none.
    for (const caller of ['admin', 'mailbox', 'other_mailbox'] as const) await check(caller, ['GET', '/keys/me'], [200, null]);
    await check('jwt', ['GET', '/keys/me'], [403, 'access_denied']);
    for (const [caller, failure] of Object.entries(AUTH_FAILURES)) await check(caller as Caller, ['GET', '/keys/me'], failure);
    // Deleting: the owner's credentials trash it, a stranger's key finds no such mailbox.
    await check('other_mailbox', ['DELETE', `${mailbox}/messages/${uid}`], [404, 'mailbox_not_found']);
    for (const [caller, failure] of Object.entries(AUTH_FAILURES)) await check(caller as Caller, ['DELETE', `${mailbox}/messages/${uid}`], failure);
    await check('mailbox', ['DELETE', `${mailbox}/messages/${uid}`], [200, null]);
    await check('jwt', ['DELETE', `${mailbox}/messages/${uid}`], [200, null]);
    await check('admin', ['DELETE', `${mailbox}/messages/${uid}`], [404, 'message_not_found']);
    for (const route of adminRoutes) {
      const expected: [number, string | null] = route[0] === 'POST' ? [201, null] : route[0] === 'DELETE' ? [404, 'key_not_found'] : [200, null];
      await check('admin', route, expected);
      for (const caller of ['mailbox', 'jwt', 'other_mailbox'] as const) await check(caller, route, [403, 'access_denied']);
      for (const [caller, failure] of Object.entries(AUTH_FAILURES)) await check(caller as Caller, route, failure);
    }
  });

  it('accepts the key in X-MAILAPI-TOKEN as well as Authorization', async () => {
    const key = await adminKey();
    const res = await call('/api/v1/keys/me', { headers: { 'x-mailapi-token': key } });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toMatchObject({ type: 'admin', active: true, prefix: key.slice(0, 12) });
  });

  it('never confirms that another mailbox exists', async () => {
    const adminSecret = await adminKey();
    const mine = await createAddress('probe-mine');
    const { key } = await mailboxKey(adminSecret, mine.address);
    const existing = await json(await v1(key, `${mailboxPath('matrix-owner@example.com')}/folders`));
    const missing = await json(await v1(key, `${mailboxPath('no-such-box@example.com')}/folders`));
    expect(existing.error).toEqual({ ...missing.error });
  });
});

describe('v1 keys', () => {
  it('shows a key once, stores only its hash, tracks last use, and revokes it', async () => {
    const adminSecret = await adminKey('primary');
    const box = await createAddress('keyed');
    const created = await json(await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'mailbox', mailbox: box.address, name: 'ci' }) }));
    const { key, id } = created.data;
    expect(key).toMatch(/^emk_[A-Za-z0-9]{40}$/);
    expect(id).toMatch(/^key_[a-z0-9]{20}$/);
    expect(created.data).toMatchObject({ type: 'mailbox', mailbox: box.address, name: 'ci', active: true, last_used_at: null, expires_at: null });
    const { testEnv } = await import('../helpers');
    const stored = await testEnv.DB.prepare('SELECT * FROM api_keys WHERE public_id = ?').bind(id).first<Record<string, unknown>>();
    expect(JSON.stringify(stored)).not.toContain(key);

    const me = await json(await v1(key, '/keys/me'));
    expect(me.data).toMatchObject({ id, mailbox: box.address });
    const listed = await json(await v1(adminSecret, '/keys'));
    const entry = listed.data.find((k: any) => k.id === id);
    expect(entry).not.toHaveProperty('key');
    expect(entry.last_used_at).not.toBeNull();

    expect((await v1(adminSecret, `/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await v1(key, '/keys/me')).status).toBe(401);
    expect((await json(await v1(adminSecret, '/keys'))).data.find((k: any) => k.id === id).active).toBe(false);
    expect((await v1(adminSecret, `/keys/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('validates key creation', async () => {
    const adminSecret = await adminKey();
    const noMailbox = await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'mailbox' }) });
    expect((await json(noMailbox)).error).toMatchObject({ code: 'validation_failed', param: 'mailbox', retryable: false });
    const unknown = await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'mailbox', mailbox: 'ghost@example.com' }) });
    expect(unknown.status).toBe(404);
    const badType = await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'root' }) });
    expect((await json(badType)).error.param).toBe('type');
  });

  it('lets the admin password bootstrap the first key only through x-admin-auth', async () => {
    expect((await call('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ type: 'admin' }) })).status).toBe(201);
    expect((await call('/api/v1/keys', { method: 'POST', headers: { 'x-admin-auth': 'wrong' }, body: JSON.stringify({ type: 'admin' }) })).status).toBe(401);
  });
});

describe('v1 rate limits', () => {
  it('sends X-RateLimit headers and answers 429 with Retry-After past the limit, per key', async () => {
    const e = envWith({ V1_RATE_READ_PER_MINUTE: '3' });
    const res0 = await call('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ type: 'admin' }) }, e);
    const key = (await json(res0)).data.key;
    const other = (await json(await call('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ type: 'admin' }) }, e))).data.key;
    const get = (k: string) => call('/api/v1/keys/me', { headers: { authorization: `Bearer ${k}` } }, e);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(key);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get(key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await json(limited)).error).toMatchObject({ code: 'rate_limited', retryable: true });
    // Another key has its own budget.
    expect((await get(other)).status).toBe(200);
  });
});
