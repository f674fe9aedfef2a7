/**
 * Every role against every endpoint family: reading a mailbox (v1 and the web UI API), sending as
 * an address, stats, domains, permissions, users and keys.
 */
import { describe, expect, it } from 'vitest';
import { call, createAddress, deliverFixture, json, testEnv } from '../helpers';
import { adminKey, mailboxKey, v1 } from '../v1/helpers';
import { activeAccount, grant, login, signup, userOn } from './helpers';

type Role = 'admin' | 'mailbox_key' | 'other_jwt' | 'owner' | 'viewer' | 'sender' | 'stats' | 'manager' | 'outsider' | 'expired' | 'revoked' | 'none';
type Expect = [number, string | null];

const OK: Expect = [200, null];
const DENIED: Expect = [403, 'access_denied'];
const HIDDEN: Expect = [404, 'mailbox_not_found'];
const AUTH_FAILURES: Partial<Record<Role, Expect>> = { expired: [401, 'token_expired'], revoked: [401, 'token_expired'], none: [401, 'missing_token'] };

async function world() {
  const admin = await adminKey();
  const owner = await activeAccount('matrix.test', admin);
  await signup('matrix-pending.test');
  await deliverFixture('attachments.eml', owner.email);
  const viewer = await userOn(admin, 'viewer@matrix.test');
  await grant(admin, 'viewer@matrix.test', 'matrix.test', ['view_mailbox']);
  const sender = await userOn(admin, 'sender@matrix.test');
  await grant(admin, 'sender@matrix.test', 'matrix.test', ['send_mail']);
  const stats = await userOn(admin, 'stats@matrix.test');
  await grant(admin, 'stats@matrix.test', 'matrix.test', ['view_stats']);
  const manager = await userOn(admin, 'manager@matrix.test');
  await grant(admin, 'manager@matrix.test', 'matrix.test', ['manage_users']);
  const outsider = (await signup('elsewhere.test')).token;
  const expired = await login(owner.email);
  await testEnv.DB.prepare('UPDATE sessions SET expires_at = 1 WHERE token_hash = (SELECT token_hash FROM sessions ORDER BY id DESC LIMIT 1)').run();
  const revoked = await login(owner.email);
  await v1(revoked, '/auth/logout', { method: 'POST' });
  const tokens: Record<Role, string | null> = {
    admin,
    mailbox_key: (await mailboxKey(admin, owner.email)).key,
    other_jwt: (await createAddress('matrix-jwt')).jwt,
    owner: owner.token,
    viewer,
    sender,
    stats,
    manager,
    outsider,
    expired,
    revoked,
    none: null,
  };
  return { tokens, mailbox: owner.email };
}

function roles(expected: Partial<Record<Role, Expect>>, otherwise: Expect): Record<Role, Expect> {
  const all: Role[] = ['admin', 'mailbox_key', 'other_jwt', 'owner', 'viewer', 'sender', 'stats', 'manager', 'outsider', 'expired', 'revoked', 'none'];
  return Object.fromEntries(all.map((r) => [r, AUTH_FAILURES[r] ?? expected[r] ?? otherwise])) as Record<Role, Expect>;
}

describe('auth matrix: every role against every endpoint family', () => {
  it('answers each as the permission model says', async () => {
    const { tokens, mailbox } = await world();
    const box = encodeURIComponent(mailbox);
    let n = 0;
    const families: { name: string; method: string; path: string; body?: unknown; legacy?: boolean; expect: Record<Role, Expect> }[] = [
      { name: 'read mailbox (v1)', method: 'GET', path: `/mailboxes/${box}/messages`, expect: roles({ admin: OK, mailbox_key: OK, owner: OK, viewer: OK }, HIDDEN) },
      { name: 'search mailbox (v1)', method: 'GET', path: `/mailboxes/${box}/search?q=chart`, expect: roles({ admin: OK, mailbox_key: OK, owner: OK, viewer: OK }, HIDDEN) },
      { name: 'stats of the domain', method: 'GET', path: '/stats/domain/matrix.test', expect: roles({ admin: OK, stats: OK }, DENIED) },
      { name: 'delivery stats of a sender', method: 'GET', path: `/stats/delivery?sender=${box}`, expect: roles({ admin: OK, stats: OK }, DENIED) },
      { name: 'approval queue', method: 'GET', path: '/domains/pending', expect: roles({ admin: OK }, DENIED) },
      { name: 'approve a domain', method: 'POST', path: '/domains/matrix-pending.test/approve', expect: roles({ admin: OK }, DENIED) },
      { name: 'DNS records', method: 'GET', path: '/domains/matrix.test/dns', expect: roles({ admin: OK, owner: OK }, DENIED) },
      { name: 'grant permissions', method: 'POST', path: '/permissions/bulk', body: { email: 'viewer@matrix.test', domain: 'matrix.test', permissions: ['view_stats'] }, expect: roles({ admin: [201, null] }, DENIED) },
      { name: 'list users of the domain', method: 'GET', path: '/users?domain=matrix.test', expect: roles({ admin: OK, manager: OK }, DENIED) },
      { name: 'create a user in the domain', method: 'POST', path: '/users', body: () => ({ email: `new${n++}@matrix.test`, password: 'long enough pw', name: 'n' }), expect: roles({ admin: [201, null], manager: [201, null] }, DENIED) },
      { name: 'API keys', method: 'GET', path: '/keys', expect: roles({ admin: OK }, DENIED) },
      { name: 'read mailbox (web UI API)', method: 'GET', path: '/api/parsed_mails', legacy: true, expect: roles({ owner: OK, viewer: OK, admin: [401, 'invalid_token'], mailbox_key: [401, 'invalid_token'], other_jwt: [200, null] }, HIDDEN) },
      {
        name: 'send as the mailbox (web UI API)',
        method: 'POST',
        path: '/api/send_mail',
        body: { to_mail: ['someone@remote.test'], subject: 'matrix', text: 'hi' },
        legacy: true,
        expect: roles({ owner: OK, sender: OK, admin: [401, 'invalid_token'], mailbox_key: [401, 'invalid_token'], other_jwt: [200, null] }, [403, 'sender_not_allowed']),
      },
    ];
    for (const family of families) {
      for (const [role, [status, code]] of Object.entries(family.expect) as [Role, Expect][]) {
        const token = tokens[role];
        const body = typeof family.body === 'function' ? (family.body as () => unknown)() : family.body;
        const init: RequestInit = { method: family.method, body: body === undefined ? undefined : JSON.stringify(body) };
        let res: Response;
        if (family.legacy) {
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}`, 'x-mailbox': mailbox } : {};
          res = await call(family.path, { ...init, headers });
        } else res = await v1(token, family.path, init);
        const label = `${role} → ${family.name}`;
        expect(res.status, label).toBe(status);
        if (code) expect((await json(res)).error.code, label).toBe(code);
        else await res.arrayBuffer();
      }
    }
  });
});
