/**
 * Auth matrix of the Mail API door: every kind of token (admin key, mailbox key, address JWT, user
 * sessions with and without each permission, expired, revoked, malformed, none) against all fifteen
 * endpoints, each answer's status and guide error code checked.
 */
import { describe, expect, it } from 'vitest';
import { call, createAddress, deliverFixture, json, testEnv } from '../../helpers';
import { activeAccount, grant, login, signup, userOn } from '../../accounts/helpers';
import { mailboxKey, v1 } from '../../v1/helpers';
import { BASE, ok, post } from './helpers';

type Role =
  | 'admin'
  | 'mailbox_key'
  | 'other_jwt'
  | 'owner'
  | 'plain'
  | 'viewer'
  | 'sender'
  | 'stats'
  | 'manager'
  | 'outsider'
  | 'expired'
  | 'revoked'
  | 'malformed'
  | 'none';
type Expect = [number, string | null];

const ROLES: Role[] = ['admin', 'mailbox_key', 'other_jwt', 'owner', 'plain', 'viewer', 'sender', 'stats', 'manager', 'outsider', 'expired', 'revoked', 'malformed', 'none'];
const OK: Expect = [200, null];
const AUTH_FAILURES: Partial<Record<Role, Expect>> = {
  expired: [401, 'TOKEN_EXPIRED'],
  revoked: [401, 'TOKEN_EXPIRED'],
  malformed: [401, 'INVALID_TOKEN'],
  none: [401, 'NO_API_TOKEN'],
};
const READERS = { admin: OK, mailbox_key: OK, owner: OK, viewer: OK };

function roles(expected: Partial<Record<Role, Expect>>, otherwise: Expect, opts: { public?: boolean } = {}): Record<Role, Expect> {
  return Object.fromEntries(ROLES.map((r) => [r, (opts.public ? undefined : AUTH_FAILURES[r]) ?? expected[r] ?? otherwise])) as Record<Role, Expect>;
}

async function world() {
  const { admin, email: mailbox, token: owner } = await activeAccount('matrix.test');
  await signup('matrix-pending.test');
  await deliverFixture('attachments.eml', mailbox);
  const user = async (local: string, permissions: string[]) => {
    const token = await userOn(admin, `${local}@matrix.test`);
    if (permissions.length) await grant(admin, `${local}@matrix.test`, 'matrix.test', permissions);
    return token;
  };
  const expired = await login(mailbox);
  await testEnv.DB.prepare('UPDATE sessions SET expires_at = 1 WHERE id = (SELECT max(id) FROM sessions)').run();
  const revoked = await login(mailbox);
  await v1(revoked, '/auth/logout', { method: 'POST' });
  const tokens: Record<Role, string | null> = {
    admin,
    mailbox_key: (await mailboxKey(admin, mailbox)).key,
    other_jwt: (await createAddress('matrix-jwt')).jwt,
    owner,
    plain: await user('plain', []),
    viewer: await user('viewer', ['view_mailbox']),
    sender: await user('sender', ['send_mail']),
    stats: await user('stats', ['view_stats']),
    manager: await user('manager', ['manage_users']),
    outsider: (await signup('elsewhere.test')).token,
    expired,
    revoked,
    malformed: 'definitely-not-a-token',
    none: null,
  };
  const list = await ok(await call(`${BASE}/mailbox/${mailbox}/messages`, { headers: { 'x-mailapi-token': admin } }));
  const uid = list.messages[0].uid as number;
  const sent = await ok(await post(owner, '/mail/send', { from: mailbox, to: ['someone@far.test'], body: { text: 'x' } }), 202);
  return { tokens, mailbox, uid, messageId: sent.message_id as string };
}

describe('auth matrix of the Mail API door', () => {
  it('answers each token on each endpoint as the permission model says', async () => {
    const { tokens, mailbox, uid, messageId } = await world();
    const box = `/mailbox/${mailbox}`;
    let n = 0;
    const families: { name: string; method: string; path: string; body?: () => unknown; expect: Record<Role, Expect> }[] = [
      {
        name: 'send as the mailbox',
        method: 'POST',
        path: '/mail/send',
        body: () => ({ from: mailbox, to: ['someone@far.test'], subject: 'matrix', body: { text: 'hi' } }),
        expect: roles({ admin: [202, null], mailbox_key: [202, null], owner: [202, null], sender: [202, null] }, [403, 'SENDER_NOT_AUTHORIZED']),
      },
      { name: 'status of the mailbox\'s message', method: 'GET', path: `/mail/${messageId}/status`, expect: roles(READERS, [404, 'MESSAGE_NOT_FOUND']) },
      { name: 'own sent list', method: 'GET', path: '/mail/sent', expect: roles({}, OK) },
      { name: 'folders', method: 'GET', path: `${box}/folders`, expect: roles(READERS, [403, 'ACCESS_DENIED']) },
      { name: 'messages', method: 'GET', path: `${box}/messages`, expect: roles(READERS, [403, 'ACCESS_DENIED']) },
      { name: 'one message', method: 'GET', path: `${box}/messages/${uid}`, expect: roles(READERS, [403, 'ACCESS_DENIED']) },
      { name: 'attachment', method: 'GET', path: `${box}/messages/${uid}/attachment/0`, expect: roles(READERS, [403, 'ACCESS_DENIED']) },
      { name: 'search', method: 'GET', path: `${box}/search?q=chart`, expect: roles(READERS, [403, 'ACCESS_DENIED']) },
      { name: 'delivery stats of the sender', method: 'GET', path: `/stats/delivery?sender=${mailbox}`, expect: roles({ admin: OK, stats: OK }, [403, 'ACCESS_DENIED']) },
      { name: 'domain stats', method: 'GET', path: '/stats/domain/matrix.test', expect: roles({ admin: OK, stats: OK }, [403, 'ACCESS_DENIED']) },
      { name: 'token info', method: 'GET', path: '/tokens/me', expect: roles({}, OK) },
      {
        name: 'signup (no token needed, any presented one ignored)',
        method: 'POST',
        path: '/auth/signup',
        body: () => ({ domain: `signup-${n}.test`, email: `me@signup-${n++}.test`, password: 'long enough', name: 'n' }),
        expect: roles({}, [201, null], { public: true }),
      },
      {
        name: 'bulk grant',
        method: 'POST',
        path: '/permissions/bulk',
        body: () => ({ email: 'plain@matrix.test', domain: 'matrix.test', permissions: ['view_stats'] }),
        expect: roles({ admin: [201, null] }, [403, 'ACCESS_DENIED']),
      },
      { name: 'approval queue', method: 'GET', path: '/domains/pending', expect: roles({ admin: OK }, [403, 'ACCESS_DENIED']) },
      { name: 'approve a domain', method: 'POST', path: '/domains/matrix-pending.test/approve', expect: roles({ admin: OK }, [403, 'ACCESS_DENIED']) },
    ];
    expect(new Set(families.map((f) => `${f.method} ${f.path.split('?')[0]}`)).size).toBe(15);
    for (const family of families) {
      for (const role of ROLES) {
        const [status, code] = family.expect[role];
        const token = tokens[role];
        const headers: Record<string, string> = token === null ? {} : { 'x-mailapi-token': token };
        const body = family.body?.();
        const res = await call(`${BASE}${family.path}`, { method: family.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const label = `${role} → ${family.name}`;
        expect(res.status, label).toBe(status);
        if (code) expect((await json(res)).error, label).toBe(code);
        else await res.arrayBuffer();
      }
    }
  });
});
