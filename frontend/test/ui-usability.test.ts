/**
 * The web UI for keyboard users and when things go wrong: rows open with Enter, every control is
 * reachable by Tab, failed calls say so, forwarding keeps attachments, recipients may carry names,
 * a revoked address can be forgotten, and the admin list pages past 50.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freshPage, useChromium } from './browser';
import { holdRequests } from './hold';
import { acceptingPage, answerDialogs, apiNewAddress, base, deliverRaw, logInAsAdmin, signInAs } from './ui-helpers';

const browser = useChromium();
const newPage = () => acceptingPage(browser());

async function deliver(to: string, subject: string, withAttachment = false) {
  const raw = [
    'From: Dora <dora@sender.test>', `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}-${Math.random()}@sender.test>`, 'MIME-Version: 1.0',
    ...(withAttachment
      ? ['Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=UTF-8', '', 'The report is attached.',
         '--b1', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', btoa('%PDF-1.4 quarterly report'), '--b1--', '']
      : ['Content-Type: text/plain; charset=UTF-8', '', 'Hello there.', '']),
  ].join('\r\n');
  await deliverRaw('dora@sender.test', to, raw);
}

async function inbox(jwt: string) {
  return (await (await fetch(`${base()}/api/parsed_mails`, { headers: { authorization: `Bearer ${jwt}` } })).json()) as { results: any[] };
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe('web UI: keyboard, failures, forwarding', () => {
  it('opens a message with the keyboard, and says so when a delete or a download fails', async () => {
    const me = await apiNewAddress('ux-keys');
    await deliver(me.address, 'Keyboard only', true);
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('mail-row').first().waitFor();

    // Tab from the search box reaches the row: Enter opens it.
    await page.getByTestId('search').focus();
    let reached = false;
    for (let i = 0; i < 5 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focusedTestId(page)) === 'mail-row';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('subject').textContent()).toBe('Keyboard only');

    // A download the server refuses: an error, not silence.
    await page.route('**/api/mails/*/attachments/*', (route) => route.fulfill({ status: 500, body: 'boom' }));
    await page.getByTestId('download-0').click();
    await expect.poll(() => page.getByTestId('message-error').textContent()).toContain('report.pdf could not be downloaded');
    await page.unroute('**/api/mails/*/attachments/*');

    // A delete the server refuses: said, and the message stays.
    await page.route('**/api/mails/*', (route) => (route.request().method() === 'DELETE' ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'internal_error', message: 'Internal error (req_x).' } }) }) : route.fallback()));
    await page.getByTestId('delete').click();
    await expect.poll(() => page.getByTestId('message-error').textContent()).toContain('The message was not deleted: Internal error (req_x).');
    await page.goto(`${base()}/#/inbox`);
    await page.getByTestId('delete-row').first().click();
    await expect.poll(() => page.getByTestId('inbox-error').textContent()).toContain('The message was not deleted');
    expect(await page.getByTestId('mail-row').count()).toBe(1);
    expect((await inbox(me.jwt)).results).toHaveLength(1);
    await page.context().close();
  });

  it('forwards with the attachments, sends to a recipient written with a name, and starts a fresh compose after a reply', async () => {
    const me = await apiNewAddress('ux-fwd');
    const friend = await apiNewAddress('ux-friend');
    await deliver(me.address, 'Quarterly report', true);
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('mail-row').first().click();
    await page.getByTestId('forward').click();
    await expect.poll(() => page.getByTestId('compose-file').allTextContents()).toEqual([expect.stringContaining('report.pdf')]);
    await page.getByTestId('compose-to').fill(`Friend Name <${friend.address}>`);
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('Sent.');
    const [forwarded] = (await inbox(friend.jwt)).results;
    expect(forwarded).toMatchObject({ subject: 'Fwd: Quarterly report', to: [{ name: 'Friend Name', address: friend.address }] });
    const full = (await (await fetch(`${base()}/api/parsed_mail/${forwarded.id}`, { headers: { authorization: `Bearer ${friend.jwt}` } })).json()) as { attachments: unknown[] };
    expect(full.attachments).toEqual([expect.objectContaining({ filename: 'report.pdf', size: '%PDF-1.4 quarterly report'.length })]);

    // The file input is a Tab stop (after the HTML switch), and a file can be taken off again.
    await page.getByTestId('compose-files').setInputFiles([{ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') }]);
    await page.getByTestId('compose-files').setInputFiles([{ name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('b') }]);
    expect(await page.getByTestId('compose-file').count()).toBe(2);
    await page.getByTestId('remove-file-0').click();
    expect(await page.getByTestId('compose-file').allTextContents()).toEqual([expect.stringContaining('b.txt')]);
    await page.getByLabel('Send as HTML').focus();
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('compose-files');

    // Reply fills the form; the Compose tab afterwards is a new, empty message.
    await page.goto(`${base()}/#/inbox`);
    await page.getByTestId('mail-row').first().click();
    await page.getByTestId('reply').click();
    await expect.poll(() => page.getByTestId('compose-subject').inputValue()).toBe('Re: Quarterly report');
    await page.getByTestId('tab-compose').click();
    await expect.poll(() => page.getByTestId('compose-subject').inputValue()).toBe('');
    expect(await page.getByTestId('compose-body').inputValue()).toBe('');
    expect(await page.getByTestId('compose-to').inputValue()).toBe('');

    // Send later refuses a time in the past before anything is queued.
    // A recipient that is not an address is named before anything is sent.
    await page.getByTestId('compose-to').fill(`${friend.address}, bob`);
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('"bob" is not an email address.');
    await page.getByTestId('compose-to').fill(friend.address);
    await page.getByTestId('compose-later').check();
    expect(await page.getByTestId('compose-at').getAttribute('min')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await page.getByTestId('compose-at').evaluate((input: HTMLInputElement) => input.removeAttribute('min'));
    await page.getByTestId('compose-at').fill('2020-01-01T10:00');
    const sentCount = async () => ((await (await fetch(`${base()}/api/v1/emails`, { headers: { authorization: `Bearer ${me.jwt}` } })).json()) as { data: unknown[] }).data.length;
    const before = await sentCount();
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('Pick a time in the future.');
    expect(await sentCount()).toBe(before);
    await page.context().close();
  });

  it('logs in with a token pasted with its header, links URLs in plain text, quotes with "wrote:", and titles the tab', async () => {
    const me = await apiNewAddress('ux-text');
    await deliver(me.address, 'Plain with a link');
    const raw = ['From: Dora <dora@sender.test>', `To: ${me.address}`, 'Subject: Read this', `Message-ID: <${Date.now()}-link@sender.test>`, 'Content-Type: text/plain; charset=UTF-8', '', 'Details at https://example.org/terms?v=2. Thanks!', ''].join('\r\n');
    await deliverRaw('dora@sender.test', me.address, raw);
    const page = await newPage();
    await page.goto(base());
    await page.getByTestId('login-token').fill(`Authorization: Bearer ${me.jwt}`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('address-switcher').inputValue()).toBe(me.address);
    await expect.poll(() => page.title()).toBe('Inbox · Edgemail');
    await page.getByTestId('mail-row').filter({ hasText: 'Read this' }).click();
    const link = page.getByTestId('text-body').locator('a');
    await expect.poll(() => link.getAttribute('href')).toBe('https://example.org/terms?v=2');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect((await page.getByTestId('text-body').textContent())!.trim()).toBe('Details at https://example.org/terms?v=2. Thanks!');
    await page.getByTestId('reply').click();
    await expect.poll(() => page.getByTestId('compose-body').inputValue()).toMatch(/\n\nOn .+, Dora <dora@sender\.test> wrote:\n> Details at/);
    await expect.poll(() => page.title()).toBe('Compose · Edgemail');
    await page.context().close();
  });

  it('asks before leaving a message unsent, and stays when told to', async () => {
    const me = await apiNewAddress('ux-unsent');
    // A page without the automatic "OK": each dialog is answered here.
    const page = await freshPage(browser(), { viewport: { width: 1200, height: 800 } });
    await signInAs(page, me, 'compose');
    // Nothing written yet: leaving asks nothing.
    await page.getByTestId('tab-sent').click();
    await expect.poll(() => page.url()).toMatch(/#\/sent$/);
    // What is typed while the page still loads (here the send balance, held back) is unsent work too.
    const balance = await holdRequests(page, '**/api/settings');
    await page.getByTestId('tab-compose').click();
    await page.getByTestId('compose-body').fill('A long letter I have not sent yet.');
    balance.release();
    await page.getByTestId('quota').waitFor();
    const asked = answerDialogs(page, ['dismiss', 'accept']);
    await page.getByTestId('tab-inbox').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe('Leave this message unsent? What you wrote will be lost.');
    await expect.poll(() => page.url()).toMatch(/#\/compose$/);
    expect(await page.getByTestId('compose-body').inputValue()).toBe('A long letter I have not sent yet.');
    await page.getByTestId('tab-inbox').click();
    await expect.poll(() => page.url()).toMatch(/#\/inbox$/);
    await page.getByTestId('mail-list').or(page.getByTestId('empty')).waitFor();
    expect(asked).toHaveLength(2);
    await page.context().close();
  });

  it('asks before switching mailbox with a message unsent, and stays when told to', async () => {
    const first = await apiNewAddress('ux-unsent-a');
    const second = await apiNewAddress('ux-unsent-b');
    const page = await freshPage(browser(), { viewport: { width: 1200, height: 800 } });
    await page.goto(`${base()}/#/login`);
    await page.evaluate((entries) => {
      localStorage.setItem('edgemail.addresses', JSON.stringify(entries));
      localStorage.setItem('edgemail.current', JSON.stringify(entries[0]!.address));
    }, [first, second].map(({ address, jwt }) => ({ address, jwt })));
    await page.goto(`${base()}/#/compose`);
    await page.reload();
    await page.getByTestId('compose-body').fill('Half a letter.');
    const asked = answerDialogs(page, ['dismiss', 'accept']);
    await page.getByTestId('address-switcher').selectOption(second.address);
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe('Leave this message unsent? What you wrote will be lost.');
    expect(await page.getByTestId('address-switcher').inputValue()).toBe(first.address);
    expect(page.url()).toMatch(/#\/compose$/);
    expect(await page.getByTestId('compose-body').inputValue()).toBe('Half a letter.');

    await page.getByTestId('address-switcher').selectOption(second.address);
    await expect.poll(() => page.url()).toMatch(/#\/inbox$/);
    expect(await page.getByTestId('address-switcher').inputValue()).toBe(second.address);
    await page.getByTestId('mail-list').or(page.getByTestId('empty')).waitFor();
    // Asked once for each try, not again by the navigation that follows.
    expect(asked).toHaveLength(2);
    await page.context().close();
  });

  it('Sent in Chinese: recipient states, kinds and the timeline are translated; nothing is called empty before it is read', async () => {
    const me = await apiNewAddress('ux-sent-zh');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await fetch(`${base()}/api/v1/emails`, {
      method: 'POST', headers: { authorization: `Bearer ${me.jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: me.address, to: 'someone@far.test', cc: 'other@far.test', subject: 'Later', text: 'Later.', scheduled_at: at }),
    });
    expect(res.status).toBe(202);
    const page = await newPage();
    await page.goto(`${base()}/#/login`);
    await page.evaluate(() => localStorage.setItem('edgemail.lang', 'zh'));
    const list = await holdRequests(page, /\/api\/v1\/emails\?limit=25$/);
    await signInAs(page, me, 'sent');
    await page.getByText('加载中').waitFor();
    expect(await page.getByTestId('sent-empty').count()).toBe(0);
    list.release();
    await page.getByTestId('sent-row').first().click();
    await expect.poll(() => page.getByTestId('sent-recipient').allTextContents()).toEqual([
      expect.stringContaining('someone@far.test (收件人) — 排队中'),
      expect.stringContaining('other@far.test (抄送) — 排队中'),
    ]);
    expect(await page.getByTestId('sent-event').allTextContents()).toEqual([expect.stringContaining('已接受'), expect.stringContaining('已定时')]);
    await page.context().close();
  });

  it('the new-address page is left by picking the current address in the switcher', async () => {
    const me = await apiNewAddress('ux-new-back');
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('address-switcher').selectOption('__new');
    await expect.poll(() => page.url()).toMatch(/#\/new$/);
    expect(await page.getByTestId('address-switcher').inputValue()).toBe('__new');
    await page.getByTestId('address-switcher').selectOption(me.address);
    await expect.poll(() => page.url()).toMatch(/#\/inbox$/);
    await page.context().close();
  });

  it('arrow keys on the address switcher do not switch mailbox', async () => {
    const first = await apiNewAddress('ux-switch-a');
    const second = await apiNewAddress('ux-switch-b');
    const page = await newPage();
    await page.goto(`${base()}/#/login`);
    await page.evaluate((entries) => {
      localStorage.setItem('edgemail.addresses', JSON.stringify(entries));
      localStorage.setItem('edgemail.current', JSON.stringify(entries[0]!.address));
    }, [first, second].map((a) => ({ address: a.address, jwt: a.jwt })));
    await page.goto(`${base()}/#/inbox`);
    await page.reload();
    await page.getByTestId('empty').waitFor();
    await page.getByTestId('address-switcher').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('edgemail.current')!))).toBe(first.address);
    expect(await page.getByTestId('address-switcher').inputValue()).toBe(first.address);
    await page.context().close();
  });

  it('offers to forget an address whose token no longer works', async () => {
    const me = await apiNewAddress('ux-revoked');
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('empty').waitFor();
    // Its password is changed elsewhere: the old token is dead.
    const rotated = await fetch(`${base()}/api/rotate_token`, { method: 'POST', headers: { authorization: `Bearer ${me.jwt}` } });
    expect(rotated.status).toBe(200);
    // Compose says so at once, not only when Send fails.
    await page.getByTestId('tab-compose').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('The token is invalid or has been revoked.');
    await page.getByTestId('tab-inbox').click();
    await page.getByTestId('refresh').click();
    await page.getByTestId('forget-revoked').click();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('edgemail.addresses'))).toBe('[]');
    await page.context().close();
  });

  it('shows when a message arrived beside its Date header when the two are far apart, as the inbox does', async () => {
    const me = await apiNewAddress('ux-dates');
    const raw = (subject: string, date: string) =>
      ['From: dora@sender.test', `To: ${me.address}`, `Subject: ${subject}`, `Date: ${date}`, `Message-ID: <${Math.random()}@sender.test>`, '', 'Body', ''].join('\r\n');
    await deliverRaw('dora@sender.test', me.address, raw('Written in 2021', 'Tue, 02 Mar 2021 09:15:00 +0000'));
    await deliverRaw('dora@sender.test', me.address, raw('Written just now', new Date().toUTCString()));
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await page.getByTestId('mail-row').filter({ hasText: 'Written in 2021' }).click();
    await expect.poll(() => page.getByTestId('date').textContent()).toContain('2021');
    // The inbox row shows today's arrival; so does the message, under its own label.
    const arrived = await page.getByTestId('received-at').textContent();
    expect(arrived).not.toContain('2021');
    expect(arrived).toMatch(/\d{1,2}:\d{2}/);
    await page.goBack();
    await page.getByTestId('mail-row').filter({ hasText: 'Written just now' }).click();
    await expect.poll(() => page.getByTestId('subject').textContent()).toBe('Written just now');
    expect(await page.getByTestId('received-at').count()).toBe(0);
    await page.context().close();
  });

  it('marks a message unread again: back in the inbox it is bold, and stays so', async () => {
    const me = await apiNewAddress('ux-unread');
    await deliver(me.address, 'Read me later');
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    const row = page.getByTestId('mail-row').filter({ hasText: 'Read me later' });
    await row.click();
    await expect.poll(() => page.getByTestId('subject').textContent()).toBe('Read me later');
    expect((await inbox(me.jwt)).results[0].seen).toBe(true);
    await page.getByTestId('mark-unread').click();
    await expect.poll(() => page.url()).toMatch(/#\/inbox$/);
    await expect.poll(() => row.getAttribute('class')).toContain('unread');
    expect((await inbox(me.jwt)).results[0].seen).toBe(false);
    await page.context().close();
  });

  it('deletes every message of the mailbox at once, after asking', async () => {
    const me = await apiNewAddress('ux-delete-all');
    for (const subject of ['One', 'Two', 'Three']) await deliver(me.address, subject);
    const page = await freshPage(browser(), { viewport: { width: 1200, height: 800 } });
    const asked = answerDialogs(page, ['dismiss', 'accept']);
    await signInAs(page, me, 'inbox');
    await expect.poll(() => page.getByTestId('mail-row').count()).toBe(3);
    await page.getByTestId('delete-all').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Delete all 3 received messages');
    expect((await inbox(me.jwt)).results).toHaveLength(3);

    // The first call meets the rate limit: it is made again after the second Retry-After names.
    let limited = 0;
    await page.route('**/api/v1/mailboxes/*/folders/*/messages', (route) =>
      limited++ === 0
        ? route.fulfill({ status: 429, headers: { 'retry-after': '1' }, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'rate_limited', message: 'Rate limit reached; retry in 1 s.' } }) })
        : route.fallback(),
    );
    await page.getByTestId('delete-all').click();
    // While it waits, the button says so and cannot start a second series.
    await expect.poll(() => page.getByTestId('delete-all').textContent()).toBe('Deleting…');
    expect(await page.getByTestId('delete-all').isDisabled()).toBe(true);
    await page.getByTestId('empty').waitFor();
    expect(limited).toBeGreaterThan(1);
    expect(await page.getByTestId('inbox-error').count()).toBe(0);
    expect((await inbox(me.jwt)).results).toHaveLength(0);
    // Nothing left to delete: the button goes.
    expect(await page.getByTestId('delete-all').count()).toBe(0);
    await page.context().close();
  });

  it('deletes the address itself from the password page, after asking: its mail and password are gone', async () => {
    const me = await apiNewAddress('ux-burn');
    await deliver(me.address, 'Soon gone');
    const page = await freshPage(browser(), { viewport: { width: 1200, height: 800 } });
    const asked = answerDialogs(page, ['dismiss', 'accept']);
    await signInAs(page, me, 'password');
    await page.getByTestId('delete-address').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain(`Delete ${me.address} and all its mail for good?`);
    expect((await inbox(me.jwt)).results).toHaveLength(1);

    await page.getByTestId('delete-address').click();
    await page.getByTestId('create-random').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('edgemail.addresses'))).toBe('[]');
    expect((await fetch(`${base()}/api/parsed_mails`, { headers: { authorization: `Bearer ${me.jwt}` } })).status).toBe(401);
    await page.context().close();
  });

  it('downloads the whole mailbox as one mbox file from the password page', async () => {
    const me = await apiNewAddress('ux-export');
    await deliver(me.address, 'Kept for later', true);
    await deliver(me.address, 'Second to keep');
    const page = await newPage();
    await signInAs(page, me, 'password');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mbox').click()]);
    expect(download.suggestedFilename()).toBe(`${me.address}.mbox`);
    const file = (await readFile((await download.path())!)).toString('latin1');
    // Two entries, each opened by its separator line, each message whole (the attachment too).
    expect(file.match(/^From dora@sender\.test \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm)).toHaveLength(2);
    expect([...file.matchAll(/^Subject: (.*)\r$/gm)].map((m) => m[1])).toEqual(['Kept for later', 'Second to keep']);
    expect(file).toContain('filename="report.pdf"');

    // A failure is said, not swallowed.
    await page.route('**/api/v1/mailboxes/*/export*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'internal_error', message: 'Internal error (req_y).' } }) }));
    await page.getByTestId('export-mbox').click();
    await expect.poll(() => page.getByTestId('export-error').textContent()).toBe('The mailbox could not be exported: Internal error (req_y).');
    await page.context().close();
  });

  it('back from a message returns to the same place in the inbox, with what was loaded, the message now read', async () => {
    const me = await apiNewAddress('ux-scroll');
    for (let i = 0; i < 30; i++) await deliver(me.address, `Numbered ${String(i).padStart(2, '0')}`);
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    await expect.poll(() => page.getByTestId('mail-row').count()).toBe(25);
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.getByTestId('mail-row').count()).toBe(30);
    // The oldest message is last, past the first page and below the fold.
    const oldest = page.getByTestId('mail-row').filter({ hasText: 'Numbered 00' });
    await oldest.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(300);
    expect(await oldest.getAttribute('class')).toContain('unread');
    await oldest.click();
    await expect.poll(() => page.getByTestId('subject').textContent()).toBe('Numbered 00');
    // A message opens at its top.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/#\/inbox$/);
    expect(await page.getByTestId('mail-row').count()).toBe(30);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThanOrEqual(2);
    await expect.poll(() => oldest.getAttribute('class')).not.toContain('unread');
    // Other pages open at their top, and so does a fresh look at the inbox after it was left.
    await page.getByTestId('tab-sent').click();
    await expect.poll(() => page.url()).toMatch(/#\/sent$/);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.context().close();
  });

  it('sizes an HTML message\'s frame to the message: a long one scrolls with the page, a short one takes little room', async () => {
    const me = await apiNewAddress('ux-frame');
    const html = (subject: string, paragraphs: number) =>
      ['From: Dora <dora@sender.test>', `To: ${me.address}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}-${subject.length}@sender.test>`, 'MIME-Version: 1.0',
       'Content-Type: text/html; charset=UTF-8', '', `<html><body>${Array.from({ length: paragraphs }, (_, i) => `<p id="p${i}">Paragraph ${i}.</p>`).join('')}</body></html>`, ''].join('\r\n');
    await deliverRaw('dora@sender.test', me.address, html('Long letter', 80));
    await deliverRaw('dora@sender.test', me.address, html('Short note', 1));
    const page = await newPage();
    await signInAs(page, me, 'inbox');
    const frameHeight = () => page.getByTestId('mail-frame').evaluate((el) => el.getBoundingClientRect().height);
    const contentHeight = () => page.getByTestId('mail-frame').evaluate((el) => (el as HTMLIFrameElement).contentDocument!.documentElement.scrollHeight);

    await page.getByTestId('mail-row').filter({ hasText: 'Long letter' }).click();
    const long = page.frameLocator('[data-testid="mail-frame"]');
    await long.locator('#p79').waitFor();
    await expect.poll(frameHeight).toBeGreaterThan(2000);
    // The whole message is in the frame (its border adds 2 px), and the page, not the frame, scrolls.
    expect(Math.abs((await frameHeight()) - (await contentHeight()) - 2)).toBeLessThanOrEqual(1);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(2000);
    // Scripts stay off in the frame whatever its origin.
    expect(await page.getByTestId('mail-frame').getAttribute('sandbox')).not.toContain('allow-scripts');

    await page.goBack();
    await page.getByTestId('mail-row').filter({ hasText: 'Short note' }).click();
    await page.frameLocator('[data-testid="mail-frame"]').locator('#p0').waitFor();
    await expect.poll(frameHeight).toBeLessThan(150);
    await page.context().close();
  });

  it('admin: the address list pages past 50, and a failed create is reported next to its form', async () => {
    // 51 addresses with a shared name part, so a search shows them all and nothing else.
    await Promise.all(Array.from({ length: 51 }, (_, i) => apiNewAddress(`ux-many-${String(i).padStart(2, '0')}`)));
    const page = await newPage();
    // A wrong password is told in words a person understands (one try: wrong tries are rate limited).
    await page.goto(`${base()}/#/admin`);
    await page.getByTestId('admin-password').fill('not the admin password');
    await page.getByTestId('admin-login').click();
    await expect.poll(() => page.getByText('That is not the admin password.').count()).toBe(1);
    await logInAsAdmin(page);
    await page.getByTestId('admin-stats').waitFor();
    await page.getByTestId('admin-search').fill('ux-many-');
    await expect.poll(() => page.getByTestId('admin-addresses-title').textContent()).toContain('(51)');
    expect(await page.getByTestId('admin-row').count()).toBe(50);
    await page.getByTestId('admin-more').click();
    await expect.poll(() => page.getByTestId('admin-row').count()).toBe(51);
    expect(await page.getByTestId('admin-more').count()).toBe(0);
    expect(new Set(await page.getByTestId('admin-row-address').allTextContents()).size).toBe(51);

    // Creating one updates the activity counts as well as the list.
    const addressCount = () => page.getByTestId('admin-stats').locator('.stat b').first().textContent();
    const before = Number(await addressCount());
    await page.getByTestId('admin-new-name').fill('ux-many-51');
    await page.getByTestId('admin-create').click();
    await expect.poll(() => page.getByTestId('admin-addresses-title').textContent()).toContain('(52)');
    await expect.poll(async () => Number(await addressCount())).toBeGreaterThan(before);
    expect(await page.getByTestId('admin-search').getAttribute('placeholder')).toBe('Search addresses');

    await page.getByTestId('admin-new-name').fill('ux-many-00');
    await page.getByTestId('admin-create').click();
    await expect.poll(() => page.getByTestId('admin-address-error').textContent()).toMatch(/taken|exists/i);
    expect(await page.getByTestId('admin-address-error').isVisible()).toBe(true);
    await page.context().close();
  });
});
