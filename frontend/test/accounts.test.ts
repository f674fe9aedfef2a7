import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { freshPage, useChromium } from './browser';
import { answerDialogs, deliverRaw, logInAsAdmin } from './ui-helpers';

const base = () => inject('workerUrl');
const browser = useChromium();

const newPage = (): Promise<Page> => freshPage(browser(), { clipboardFor: base() });

const adminHeaders = () => ({ 'x-admin-auth': inject('adminPassword'), 'content-type': 'application/json' });

describe('accounts in headless Chromium', () => {
  it('signs up, sees the DNS records, gets approved by the admin, verifies DNS, edits permissions, reads the mailbox and logs out', async () => {
    const user = await newPage();
    await user.goto(`${base()}/#/account`);
    await user.getByTestId('signup-domain').fill('ui-shop.test');
    await user.getByTestId('signup-email').fill('owner@ui-shop.test');
    await user.getByTestId('signup-name').fill('Shop Owner');
    await user.getByTestId('signup-password').fill('a long password');
    await user.getByTestId('signup-submit').click();
    await expect.poll(() => user.getByTestId('signed-in').textContent()).toContain('owner@ui-shop.test');
    expect(await user.getByTestId('my-address').allTextContents()).toEqual(['owner@ui-shop.test']);
    // The session token is kept; the password is not.
    const stored = await user.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('ems_');
    expect(stored).not.toContain('a long password');

    // The domain page: pending, records without DKIM yet.
    await user.getByTestId('domain-link-ui-shop.test').click();
    await expect.poll(() => user.getByTestId('domain-status').textContent()).toBe('pending approval');
    const purposes = () => user.getByTestId('dns-record').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-purpose')));
    expect(await purposes()).toEqual(['mx', 'mx', 'mx', 'spf', 'dmarc']);
    expect(await user.getByTestId('dns-value').first().textContent()).toContain('route1.mx.cloudflare.net');

    // The admin approves it from the queue.
    const admin = await newPage();
    await logInAsAdmin(admin);
    await expect.poll(() => admin.getByTestId('pending-domain').allTextContents()).toEqual(['ui-shop.test']);
    await admin.getByTestId('approve-ui-shop.test').click();
    await admin.getByTestId('no-pending').waitFor();

    // The permissions editor: the owner holds manage_domains; the admin adds view_stats.
    await admin.getByTestId('perm-user').selectOption('owner@ui-shop.test');
    await admin.getByTestId('perm-domain').selectOption('ui-shop.test');
    await expect.poll(() => admin.getByTestId('perm-manage_domains').isChecked()).toBe(true);
    expect(await admin.getByTestId('perm-view_stats').isChecked()).toBe(false);
    await admin.getByTestId('perm-view_stats').check();
    await admin.getByTestId('perm-save').click();
    await expect.poll(() => admin.getByTestId('perm-status').textContent()).toBe('Saved.');
    const grants = (await (await fetch(`${base()}/api/v1/permissions?email=owner@ui-shop.test`, { headers: adminHeaders() })).json()) as any;
    expect(grants.data).toEqual([{ email: 'owner@ui-shop.test', domain: 'ui-shop.test', permissions: ['manage_domains', 'view_stats'] }]);

    // Back on the domain page: active, with its DKIM record; publish everything and check.
    await user.reload();
    await expect.poll(() => user.getByTestId('domain-status').textContent()).toBe('active');
    expect(await purposes()).toEqual(['mx', 'mx', 'mx', 'spf', 'dkim', 'dmarc']);
    await user.getByTestId('verify-dns').click();
    await expect.poll(() => user.getByTestId('dns-check').allTextContents()).toEqual(Array(6).fill('Missing or different'));
    const names = await user.getByTestId('dns-name').allTextContents();
    const values = await user.getByTestId('dns-value').allTextContents();
    const types = await user.getByTestId('dns-record').evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent!.trim()));
    const records = names.map((name, i) => {
      const [priority, host] = types[i] === 'MX' ? values[i]!.split(' ') : [undefined, values[i]];
      return { type: types[i], name, value: host, priority: priority === undefined ? undefined : Number(priority) };
    });
    const published = await fetch(`${inject('dnsUrl')}/_records`, { method: 'PUT', body: JSON.stringify({ records }) });
    expect(published.ok).toBe(true);
    await user.getByTestId('verify-dns').click();
    await user.getByTestId('dns-verified').waitFor();
    expect(await user.getByTestId('dns-check').allTextContents()).toEqual(Array(6).fill('Found'));

    // The mailbox opens through the session; then logging out ends the session on the server.
    await user.goto(`${base()}/#/account`);
    await user.getByTestId('open-owner@ui-shop.test').click();
    await user.getByTestId('empty').waitFor();
    expect(await user.getByTestId('address-switcher').inputValue()).toBe('owner@ui-shop.test');
    const token = await user.evaluate(() => JSON.parse(localStorage.getItem('edgemail.user')!).token as string);
    await user.goto(`${base()}/#/account`);
    await user.getByTestId('logout').click();
    await user.getByTestId('login-email').waitFor();
    const after = await fetch(`${base()}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);

    // And logs back in with the password.
    await user.getByTestId('login-email').fill('owner@ui-shop.test');
    await user.getByTestId('login-password').fill('a long password');
    await user.getByTestId('login-submit').click();
    await expect.poll(() => user.getByTestId('signed-in').textContent()).toContain('owner@ui-shop.test');
    await user.context().close();
    await admin.context().close();
  });

  it('lists every domain for the admin and deletes one no longer used; one whose mailbox holds mail is refused, with the reason', async () => {
    for (const domain of ['ui-unused.test', 'ui-busy.test']) {
      const signup = await fetch(`${base()}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ domain, email: `owner@${domain}`, password: 'a long password', name: 'Owner' }),
      });
      expect(signup.status).toBe(201);
      expect((await fetch(`${base()}/api/v1/domains/${domain}/approve`, { method: 'POST', headers: adminHeaders() })).status).toBe(200);
    }
    await deliverRaw('a@far.test', 'owner@ui-busy.test', 'From: a@far.test\r\nTo: owner@ui-busy.test\r\nSubject: kept\r\nMessage-ID: <busy@far.test>\r\n\r\nkeep me\r\n');

    const admin = await newPage();
    answerDialogs(admin, ['accept', 'accept']);
    await logInAsAdmin(admin);
    const listed = () => admin.getByTestId('domain-row').allTextContents();
    await expect.poll(listed).toEqual(expect.arrayContaining([expect.stringContaining('ui-unused.test'), expect.stringContaining('ui-busy.test')]));
    // A DOMAINS entry has no Delete: it would be seeded again.
    expect(await admin.getByTestId('domain-row').filter({ hasText: 'example.com' }).textContent()).toContain('in DOMAINS');
    expect(await admin.getByTestId('delete-domain-example.com').count()).toBe(0);

    await admin.getByTestId('delete-domain-ui-unused.test').click();
    await expect.poll(listed).not.toEqual(expect.arrayContaining([expect.stringContaining('ui-unused.test')]));
    await admin.getByTestId('delete-domain-ui-busy.test').click();
    await expect.poll(() => admin.getByTestId('domains-error').textContent()).toBe('1 address on ui-busy.test still holds mail: delete it first.');
    expect(await listed()).toEqual(expect.arrayContaining([expect.stringContaining('ui-busy.test')]));
    await admin.context().close();
  });

  it('rejects a signup from the approval queue, after asking', async () => {
    const signup = await fetch(`${base()}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'ui-junk.test', email: 'junk@ui-junk.test', password: 'a long password', name: 'Junk' }),
    });
    expect(signup.status).toBe(201);
    const token = ((await signup.json()) as any).data.token as string;

    const admin = await newPage();
    const asked = answerDialogs(admin, ['dismiss', 'accept']);
    await logInAsAdmin(admin);
    await expect.poll(() => admin.getByTestId('pending-domain').allTextContents()).toContain('ui-junk.test');
    // Cancelled: nothing happens.
    await admin.getByTestId('reject-ui-junk.test').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('ui-junk.test');
    expect(await admin.getByTestId('pending-domain').allTextContents()).toContain('ui-junk.test');
    expect((await fetch(`${base()}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await admin.getByTestId('reject-ui-junk.test').click();
    await expect.poll(() => admin.getByTestId('pending-domain').allTextContents()).not.toContain('ui-junk.test');
    // The signup's account went with its domain.
    expect((await fetch(`${base()}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await admin.context().close();
  });
});
