import { describe, expect, it } from 'vitest';
import { createAddress, json } from '../helpers';
import { adminKey, mailboxKey, v1 } from '../v1/helpers';
import { createWebhook, unique } from './helpers';

const events = ['email.received'];

describe('webhook endpoints', () => {
  it('shows the whsec_ secret once, at creation and rotation', async () => {
    const key = await adminKey();
    const hook = await createWebhook(key, { url: 'https://hooks.example.net/in', events: ['email.delivered', 'email.bounced'] });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await json(await v1(key, `/webhooks/${hook.id}`));
    expect(got.data).toMatchObject({ id: hook.id, url: 'https://hooks.example.net/in', events: ['email.delivered', 'email.bounced'], enabled: true, mailbox: null });
    expect(got.data.secret).toBeUndefined();
    expect(JSON.stringify(await json(await v1(key, '/webhooks')))).not.toContain(hook.secret);
    const rotated = await json(await v1(key, `/webhooks/${hook.id}/rotate_secret`, { method: 'POST' }));
    expect(rotated.data.secret).toMatch(/^whsec_/);
    expect(rotated.data.secret).not.toBe(hook.secret);
  });

  it('changes and deletes an endpoint', async () => {
    const key = await adminKey();
    const hook = await createWebhook(key, { url: 'https://hooks.example.net/a', events });
    const patched = await json(await v1(key, `/webhooks/${hook.id}`, { method: 'PATCH', body: JSON.stringify({ enabled: false, events: ['email.sent'], description: 'ops' }) }));
    expect(patched.data).toMatchObject({ enabled: false, events: ['email.sent'], description: 'ops' });
    expect((await v1(key, `/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await json(await v1(key, `/webhooks/${hook.id}`))).error.code).toBe('webhook_not_found');
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://api.localhost/hook',
    'http://10.0.0.7/hook',
    'http://192.168.1.20/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00:ec2::254]/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://intranet/hook',
    'ftp://hooks.example.net/hook',
    'file:///etc/passwd',
    'https://user:pass@hooks.example.net/hook',
  ])('refuses %s (SSRF) in production settings', async (url) => {
    const key = await adminKey();
    const res = await v1(key, '/webhooks', { method: 'POST', body: JSON.stringify({ url, events }) });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'url' });
  });

  it('refuses a private URL on update too', async () => {
    const key = await adminKey();
    const hook = await createWebhook(key, { url: 'https://hooks.example.net/b', events });
    const res = await v1(key, `/webhooks/${hook.id}`, { method: 'PATCH', body: JSON.stringify({ url: 'http://127.0.0.1/x' }) });
    expect(res.status).toBe(400);
  });
});

describe('who manages which webhooks', () => {
  it('a mailbox key gets its own mailbox\'s endpoints only', async () => {
    const admin = await adminKey();
    const box = await createAddress(`hook-${unique()}`);
    const other = await createAddress(`other-${unique()}`);
    const { key } = await mailboxKey(admin, box.address);
    const mine = await createWebhook(key, { url: 'https://hooks.example.net/mine', events });
    expect(mine.mailbox).toBe(box.address);
    const denied = await v1(key, '/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.net/x', events, mailbox: other.address }) });
    expect(denied.status).toBe(403);
    expect((await v1(key, '/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.net/x', events, domain: 'example.com' }) })).status).toBe(403);
    // The address JWT is the same mailbox's credential.
    expect((await json(await v1(box.jwt, '/webhooks'))).data.map((w: { id: string }) => w.id)).toEqual([mine.id]);

    const global = await createWebhook(admin, { url: 'https://hooks.example.net/all', events });
    const foreign = await createWebhook(admin, { url: 'https://hooks.example.net/other', events, mailbox: other.address });
    const listed = (await json(await v1(key, '/webhooks'))).data.map((w: { id: string }) => w.id);
    expect(listed).toEqual([mine.id]);
    for (const id of [global.id, foreign.id]) {
      expect((await v1(key, `/webhooks/${id}`)).status).toBe(404);
      expect((await v1(key, `/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await v1(key, `/webhooks/${id}/rotate_secret`, { method: 'POST' })).status).toBe(404);
    }
    // Moving its endpoint to another mailbox is refused as well.
    expect((await v1(key, `/webhooks/${mine.id}`, { method: 'PATCH', body: JSON.stringify({ mailbox: other.address }) })).status).toBe(403);
    // Admins see everything.
    const all = (await json(await v1(admin, '/webhooks'))).data.map((w: { id: string }) => w.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, global.id, foreign.id]));
  });
});

describe('webhooks of a user (session token)', () => {
  it('may filter to a domain where they hold view_mailbox, never to another domain or to nothing', async () => {
    const { activeAccount, grant, userOn } = await import('../accounts/helpers');
    const account = await activeAccount(`hooks${unique()}.test`);
    const reader = await userOn(account.admin, `reader@${account.domain}`);
    await grant(account.admin, `reader@${account.domain}`, account.domain, ['view_mailbox']);
    const mine = await createWebhook(reader, { url: 'https://hooks.example.net/u', events, domain: account.domain });
    expect(mine).toMatchObject({ domain: account.domain, mailbox: null });
    expect((await v1(reader, '/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.net/u', events }) })).status).toBe(403);
    expect((await v1(reader, '/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.net/u', events, domain: 'example.com' }) })).status).toBe(403);
    expect((await json(await v1(reader, '/webhooks'))).data.map((w: { id: string }) => w.id)).toEqual([mine.id]);
  });
});
