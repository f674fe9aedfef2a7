/**
 * What the user did must survive answers that arrive late: a list refresh read before a cancel, a
 * prefill still loading while the user types, a poll read before a delete, a reload of the admin
 * list while a balance is being typed. Each test holds the late answer back with page.route so the
 * order is forced, not left to the machine's speed.
 */
import { describe, expect, inject, it } from 'vitest';
import { useChromium } from './browser';
import { holdNextAnswer } from './hold';
import { acceptingPage, apiNewAddress, base, deliverRaw, logInAsAdmin, signInAs } from './ui-helpers';

const browser = useChromium();
const newPage = () => acceptingPage(browser());

/** Signs a user up with a domain of their own, pending approval (the admin pages list it). */
async function signUp(domain: string) {
  const res = await fetch(`${base()}/api/v1/auth/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ domain, email: `owner@${domain}`, password: 'a long password', name: domain }),
  });
  expect(res.status).toBeLessThan(300);
}

/** Leaves no domain of these tests pending: another test expects the pending list to hold only its own. */
async function approve(domain: string) {
  const res = await fetch(`${base()}/api/v1/domains/${domain}/approve`, { method: 'POST', headers: { 'x-admin-auth': inject('adminPassword') } });
  expect(res.status).toBe(200);
}

async function scheduleSends(who: { address: string; jwt: string }, count: number) {
  const at = new Date(Date.now() + 3_600_000).toISOString();
  const body = Array.from({ length: count }, (_, i) => ({ from: who.address, to: 'someone@far.test', subject: `Later ${i + 1}`, text: 'Later.', scheduled_at: at }));
  const res = await fetch(`${base()}/api/v1/emails/batch`, { method: 'POST', headers: { authorization: `Bearer ${who.jwt}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`batch: ${res.status} ${await res.text()}`);
}

describe('late answers do not undo what the user did', () => {
  it('Sent: a refresh read before a cancel does not bring it back; refreshes keep the pages loaded and the opened timeline', async () => {
    const alice = await apiNewAddress('late-sent');
    await scheduleSends(alice, 30);
    const page = await newPage();
    await signInAs(page, alice, 'sent');
    await expect.poll(() => page.getByTestId('sent-row').count()).toBe(25);
    await page.getByTestId('sent-more').click();
    await expect.poll(() => page.getByTestId('sent-row').count()).toBe(30);
    await page.getByTestId('sent-row').first().click();
    await page.getByTestId('sent-cancel').waitFor();
    const timeline = await page.getByTestId('sent-event').count();
    expect(timeline).toBeGreaterThan(0);

    // The page refreshes every 3 s while a send is pending: hold the next refresh's answer back.
    const refresh = await holdNextAnswer(page, /\/api\/v1\/emails\?limit=25$/);
    await refresh.read;
    await page.getByTestId('sent-cancel').click();
    await expect.poll(() => page.getByTestId('sent-status').first().textContent()).toBe('cancelled');
    await refresh.release();
    expect(await page.getByTestId('sent-status').first().textContent()).toBe('cancelled');

    // A refresh that lands on its own keeps what "Load more" added and the opened message's timeline.
    await page.waitForResponse(/\/api\/v1\/emails\?limit=25$/, { timeout: 10_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
    expect(await page.getByTestId('sent-row').count()).toBe(30);
    expect(await page.getByTestId('sent-event').count()).toBeGreaterThanOrEqual(timeline);
    await page.context().close();
  });

  it('Compose: locked while a forward fills it in and while it sends, so nothing typed then is lost', async () => {
    const me = await apiNewAddress('late-compose');
    const friend = await apiNewAddress('late-friend');
    await deliverRaw('dora@sender.test', me.address, [
      'From: Dora <dora@sender.test>', `To: ${me.address}`, 'Subject: Report', `Message-ID: <${Date.now()}@sender.test>`, 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=UTF-8', '', 'Attached.',
      '--b1', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', btoa('%PDF-1.4 report'), '--b1--', '',
    ].join('\r\n'));
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('mail-row').first().click({ timeout: 30_000 });
    await page.getByTestId('forward').waitFor();

    const original = await holdNextAnswer(page, /\/api\/parsed_mail\/\d+$/);
    await page.getByTestId('forward').click();
    await original.read;
    expect(await page.getByTestId('compose-to').isEditable()).toBe(false);
    expect(await page.getByTestId('compose-body').isEditable()).toBe(false);
    expect(await page.getByTestId('compose-files').isEnabled()).toBe(false);
    await original.release();
    await expect.poll(() => page.getByTestId('compose-subject').inputValue()).toBe('Fwd: Report');
    await expect.poll(() => page.getByTestId('compose-file').allTextContents()).toEqual([expect.stringContaining('report.pdf')]);
    expect(await page.getByTestId('compose-to').isEditable()).toBe(true);

    await page.getByTestId('compose-to').fill(friend.address);
    const sending = await holdNextAnswer(page, /\/api\/send_mail$/);
    await page.getByTestId('compose-send').click();
    await sending.read;
    expect(await page.getByTestId('compose-body').isEditable()).toBe(false);
    expect(await page.getByTestId('compose-subject').isEditable()).toBe(false);
    await sending.release();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('Sent.');
    expect(await page.getByTestId('compose-subject').inputValue()).toBe('');
    expect(await page.getByTestId('compose-subject').isEditable()).toBe(true);
    await page.context().close();
  });

  it('Inbox: a poll read before a delete does not bring the mail back', async () => {
    const me = await apiNewAddress('late-inbox');
    for (const subject of ['First', 'Second']) {
      await deliverRaw('dora@sender.test', me.address, [
        'From: Dora <dora@sender.test>', `To: ${me.address}`, `Subject: ${subject}`, `Message-ID: <${subject}-${Date.now()}@sender.test>`,
        'Content-Type: text/plain; charset=UTF-8', '', 'Hello.', '',
      ].join('\r\n'));
    }
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await expect.poll(() => page.getByTestId('mail-row').count(), { timeout: 30_000 }).toBe(2);

    // The first page is listed; the next request for it is the poller's (every 3 s).
    const poll = await holdNextAnswer(page, /\/api\/parsed_mails\?limit=25&offset=0$/);
    await poll.read;
    await page.getByTestId('delete-row').first().click();
    await expect.poll(() => page.getByTestId('mail-row').count()).toBe(1);
    await poll.release();
    expect(await page.getByTestId('mail-subject').allTextContents()).toEqual(['First']);
    expect(await page.getByTestId('new-mail').count()).toBe(0);
    await page.context().close();
  });

  it('Admin: a balance typed and not yet set survives a reload of the list', async () => {
    const who = await apiNewAddress('late-balance');
    const page = await newPage();
    await logInAsAdmin(page);
    await page.getByTestId('admin-stats').waitFor();
    await page.getByTestId('admin-search').fill('late-balance');
    await expect.poll(() => page.getByTestId('admin-row-address').allTextContents()).toEqual([who.address]);
    const stored = await page.getByTestId('admin-balance').inputValue();
    const typed = String(Number(stored) + 7);
    await page.getByTestId('admin-balance').fill(typed);

    // Creating an address reloads the list.
    await page.getByTestId('admin-new-name').fill('late-balance-2');
    await page.getByTestId('admin-create').click();
    await expect.poll(() => page.getByTestId('admin-row-address').allTextContents()).toEqual(expect.arrayContaining([who.address, expect.stringMatching(/^late-balance-2@/)]));
    const row = page.getByTestId('admin-row').filter({ hasText: who.address });
    expect(await row.getByTestId('admin-balance').inputValue()).toBe(typed);
    await row.getByTestId('admin-set-balance').click();
    await expect.poll(async () => ((await (await fetch(`${base()}/api/settings`, { headers: { authorization: `Bearer ${who.jwt}` } })).json()) as { send_balance: number }).send_balance).toBe(Number(typed));
    await page.context().close();
  });

  it('Admin: permission boxes wait for the grants, and a reload read before a save does not untick what was saved', async () => {
    await signUp('late-a.test');
    await signUp('late-b.test');
    const page = await newPage();
    const firstRead = await holdNextAnswer(page, /\/api\/v1\/users\?limit=200$/);
    await logInAsAdmin(page);
    await firstRead.read;
    await page.getByTestId('perm-view_stats').waitFor();
    expect(await page.getByTestId('perm-view_stats').isEnabled()).toBe(false);
    await firstRead.release();
    await page.getByTestId('perm-user').selectOption('owner@late-a.test');
    await page.getByTestId('perm-domain').selectOption('late-a.test');
    expect(await page.getByTestId('perm-view_stats').isChecked()).toBe(false);

    // Approving a domain reloads the grants: hold that read back until after a save.
    const reload = await holdNextAnswer(page, /\/api\/v1\/permissions$/);
    await page.getByTestId('approve-late-b.test').click();
    await reload.read;
    await page.getByTestId('perm-view_stats').check();
    await page.getByTestId('perm-save').click();
    await expect.poll(() => page.getByTestId('perm-status').textContent()).toBe('Saved.');
    await reload.release();
    expect(await page.getByTestId('perm-view_stats').isChecked()).toBe(true);
    await page.context().close();
    await approve('late-a.test');
  });

  it('Account: a stale session failing late does not log out the session that replaced it', async () => {
    await signUp('late-c.test');
    const page = await newPage();
    await page.goto(`${base()}/#/login`);
    // A session this browser kept from before, no longer valid.
    await page.evaluate(() => localStorage.setItem('edgemail.user', JSON.stringify({ token: 'ems_expired', email: 'owner@late-c.test', name: 'C' })));
    const staleCheck = await holdNextAnswer(page, /\/api\/v1\/auth\/me$/);
    await page.goto(`${base()}/#/account`);
    await page.reload();
    await staleCheck.read;
    await page.getByTestId('login-email').fill('owner@late-c.test');
    await page.getByTestId('login-password').fill('a long password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toContain('owner@late-c.test');
    await staleCheck.release();
    expect(await page.getByTestId('signed-in').count()).toBe(1);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('edgemail.user') ?? 'null')?.token)).toMatch(/^ems_(?!expired)/);
    await page.context().close();
    await approve('late-c.test');
  });

  it('Admin webhooks: the deliveries shown are those last asked for, whichever answer arrives last', async () => {
    const ids: string[] = [];
    for (const path of ['late-a', 'late-b']) {
      const res = await fetch(`${base()}/api/v1/webhooks`, {
        method: 'POST', headers: { 'x-admin-auth': inject('adminPassword'), 'content-type': 'application/json' },
        body: JSON.stringify({ url: `https://hooks.example.net/${path}`, events: ['email.received'] }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { data: { id: string } }).data.id);
    }
    const page = await newPage();
    await logInAsAdmin(page);
    const rowOf = (path: string) => page.getByTestId('webhook-row').filter({ hasText: `https://hooks.example.net/${path}` });
    await rowOf('late-b').waitFor();

    const first = await holdNextAnswer(page, new RegExp(`/api/v1/webhooks/${ids[0]}/deliveries`));
    await rowOf('late-a').getByTestId('webhook-deliveries').click();
    await first.read;
    await rowOf('late-b').getByTestId('webhook-deliveries').click();
    const logFollows = () => page.getByTestId('webhook-log').evaluate((cell) => cell.parentElement!.previousElementSibling!.textContent ?? '');
    await expect.poll(logFollows).toContain('hooks.example.net/late-b');
    await first.release();
    expect(await logFollows()).toContain('hooks.example.net/late-b');
    await page.context().close();
    // They would otherwise be sent every mail the other tests deliver.
    for (const id of ids) await fetch(`${base()}/api/v1/webhooks/${id}`, { method: 'DELETE', headers: { 'x-admin-auth': inject('adminPassword') } });
  });
});
