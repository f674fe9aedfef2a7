import { describe, expect, it } from 'vitest';
import { authorizeSender, maySendAs } from '../../src/services/accounts/access';
import { createDeps } from '../../src/services/deps';
import { activeAccount } from '../accounts/helpers';
import { admin as adminAuth, createAddress, envWith, json, testEnv } from '../helpers';
import { adminKey, mailboxKey, v1 } from './helpers';
import { sendEmail, settled } from './sending';
import { call, bearer } from '../helpers';

describe('who may send as whom', () => {
  it('a mailbox key or address JWT sends only as its own address (403 sender_not_allowed)', async () => {
    const admin = await adminKey();
    const own = await createAddress('auth-own');
    await createAddress('auth-victim');
    const key = await mailboxKey(admin, own.address);
    for (const token of [own.jwt, key.key]) {
      const res = await sendEmail(token, { from: 'auth-victim@example.com', to: 'x@far.test', subject: 's', text: 'x' });
      expect(res.status).toBe(403);
      expect((await json(res)).error).toMatchObject({ code: 'sender_not_allowed', param: 'from' });
      const mine = await sendEmail(token, { from: 'Me <auth-own@example.com>', to: 'x@far.test', subject: 's', text: 'x' });
      expect(mine.status).toBe(202);
    }
  });

  it('a domain we do not serve is 403 domain_not_allowed, for admins too', async () => {
    const admin = await adminKey();
    const box = await createAddress('auth-domain');
    for (const token of [admin, box.jwt]) {
      const res = await sendEmail(token, { from: 'ceo@bank.test', to: 'x@far.test', subject: 's', text: 'x' });
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe('domain_not_allowed');
    }
  });

  it('an admin key sends as any address on our domains (it gets a mailbox for its Sent copy) and must name one', async () => {
    const admin = await adminKey();
    await createAddress('auth-admin-rcpt');
    const res = await sendEmail(admin, { from: 'Notifications <noreply@mail.test>', to: 'auth-admin-rcpt@example.com', subject: 's', text: 'x' });
    expect(res.status).toBe(202);
    const email = await settled(admin, (await json(res)).data.id);
    expect(email.from).toEqual({ name: 'Notifications', email: 'noreply@mail.test' });
    const sent = await json(await v1(admin, `/mailboxes/${encodeURIComponent('noreply@mail.test')}/messages?folder=Sent`));
    expect(sent.data).toHaveLength(1);
    const missing = await sendEmail(admin, { to: 'x@far.test', subject: 's', text: 'x' });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.param).toBe('from');
  });

  it('another mailbox\'s email is 404 for reading, rescheduling and cancelling; an admin sees it', async () => {
    const admin = await adminKey();
    const alice = await createAddress('auth-alice');
    const mallory = await createAddress('auth-mallory');
    const { data } = await json(await sendEmail(alice.jwt, { to: 'x@far.test', subject: 'private', text: 'x', scheduled_at: new Date(Date.now() + 3_600_000).toISOString() }));
    const attempts: [string, RequestInit][] = [
      [`/emails/${data.id}`, {}],
      [`/emails/${data.id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: new Date(Date.now() + 60_000).toISOString() }) }],
      [`/emails/${data.id}/cancel`, { method: 'POST' }],
      [`/emails/${data.id}`, { method: 'DELETE' }],
    ];
    for (const [path, init] of attempts) {
      const res = await v1(mallory.jwt, path, init);
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
      expect((await json(res)).error.code).toBe('email_not_found');
    }
    expect((await json(await v1(mallory.jwt, '/emails'))).data).toEqual([]);
    expect((await json(await v1(admin, `/emails/${data.id}`))).data.status).toBe('scheduled');
    expect((await v1(null, `/emails/${data.id}`)).status).toBe(401);
    expect((await v1(null, '/emails', { method: 'POST', body: JSON.stringify({ to: 'x@far.test', subject: 's', text: 'x' }) })).status).toBe(401);
  });

  it('the send balance and the per-address rate apply to mailbox keys', async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '1', SEND_RATE_PER_MINUTE: '2' });
    const box = await createAddress('auth-quota', undefined, e);
    const send = () => call('/api/v1/emails', { method: 'POST', headers: bearer(box.jwt), body: JSON.stringify({ to: 'x@far.test', subject: 's', text: 'x' }) }, e);
    expect((await send()).status).toBe(202);
    const broke = await send();
    expect(broke.status).toBe(403);
    expect((await json(broke)).error.code).toBe('send_quota_exhausted');
    await call(`/admin/addresses/${box.address_id}/send_balance`, { method: 'PUT', headers: { 'x-admin-auth': 'admin-test-password' }, body: JSON.stringify({ balance: 10 }) }, e);
    expect((await send()).status).toBe(202);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('the access rule every door asks lets a mailbox principal send as its own address only', async () => {
    const deps = createDeps(testEnv);
    const own = await createAddress('rule-own');
    await createAddress('rule-other');
    const principal = { kind: 'mailbox', addressId: own.address_id, address: own.address, keyId: null, rateKey: `jwt:${own.address_id}` } as const;
    expect(await maySendAs(deps, principal, ' Rule-Own@Example.com')).toBe(true);
    await authorizeSender(deps, principal, own.address);
    expect(await maySendAs(deps, principal, 'rule-other@example.com')).toBe(false);
    await expect(authorizeSender(deps, principal, 'rule-other@example.com')).rejects.toMatchObject({ code: 'sender_not_allowed', param: 'from' });
  });

  it('a user sending as an address spends that address\'s balance, as its own token would', async () => {
    const owner = await activeAccount('metered-user.test');
    const found = await json(await call(`/admin/addresses?query=${encodeURIComponent(owner.email)}`, { headers: adminAuth }));
    const [row] = found.results.filter((r: any) => r.address === owner.email);
    await call(`/admin/addresses/${row.address_id}/send_balance`, { method: 'PUT', headers: adminAuth, body: JSON.stringify({ balance: 1 }) });
    const send = () => sendEmail(owner.token, { from: owner.email, to: 'x@far.test', subject: 's', text: 'x' });
    expect((await send()).status).toBe(202);
    const broke = await send();
    expect(broke.status).toBe(403);
    expect((await json(broke)).error.code).toBe('send_quota_exhausted');
  });
});
