import { describe, expect, it } from 'vitest';
import { json } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';
import { activeAccount, PASSWORD } from './helpers';

const bulk = (key: string, body: unknown) => v1(key, '/permissions/bulk', { method: 'POST', body: JSON.stringify(body) });

describe('POST /api/v1/permissions/bulk', () => {
  it('answers the seed example: 4 granted, manage_domains skipped as already held', async () => {
    const admin = await adminKey();
    await activeAccount('domain.com', admin);
    const user = await v1(admin, '/users', { method: 'POST', body: JSON.stringify({ email: 'user@domain.com', password: PASSWORD, name: 'User' }) });
    expect(user.status).toBe(201);
    expect((await bulk(admin, { email: 'user@domain.com', permissions: ['manage_domains'], domain: 'domain.com' })).status).toBe(201);

    const res = await bulk(admin, { email: 'user@domain.com', permissions: ['manage_users', 'manage_domains', 'view_mailbox', 'view_stats', 'send_mail'], domain: 'domain.com' });
    expect(res.status).toBe(201);
    expect((await json(res)).data).toEqual({
      message: 'Granted 4 permissions, skipped 1 already existing',
      granted: ['manage_users', 'view_mailbox', 'view_stats', 'send_mail'],
      skipped: ['manage_domains'],
    });
    const listed = await json(await v1(admin, '/permissions?email=user@domain.com'));
    expect(listed.data).toEqual([{ email: 'user@domain.com', domain: 'domain.com', permissions: ['manage_domains', 'manage_users', 'send_mail', 'view_mailbox', 'view_stats'] }]);

    const revoked = await json(await v1(admin, '/permissions/revoke', { method: 'POST', body: JSON.stringify({ email: 'user@domain.com', permissions: ['send_mail', 'view_stats'], domain: 'domain.com' }) }));
    expect(revoked.data.revoked.sort()).toEqual(['send_mail', 'view_stats']);
  });

  it('refuses an unknown user, an unknown domain, an unknown permission, and a non-admin', async () => {
    const admin = await adminKey();
    const owner = await activeAccount('perm-errors.test', admin);
    expect((await json(await bulk(admin, { email: 'ghost@perm-errors.test', permissions: ['send_mail'], domain: 'perm-errors.test' }))).error.code).toBe('user_not_found');
    expect((await json(await bulk(admin, { email: owner.email, permissions: ['send_mail'], domain: 'nowhere.test' }))).error.code).toBe('domain_not_found');
    const bad = await json(await bulk(admin, { email: owner.email, permissions: ['root'], domain: 'perm-errors.test' }));
    expect(bad.error).toMatchObject({ code: 'validation_failed', param: 'permissions.0' });
    const self = await bulk(owner.token, { email: owner.email, permissions: ['send_mail'], domain: 'perm-errors.test' });
    expect(self.status).toBe(403);
    expect((await json(self)).error.code).toBe('access_denied');
  });
});
