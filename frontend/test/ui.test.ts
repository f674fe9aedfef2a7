import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { startRecorder, useChromium } from './browser';
import { acceptingPage, apiNewAddress, base, deliverRaw as deliver, signInAs } from './ui-helpers';

const browser = useChromium();

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await acceptingPage(browser());
  if (viewport) await page.setViewportSize(viewport);
  return page;
}

const attachmentBytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31 + 5) & 0xff));

function messageWithAttachment(from: string, to: string, subject: string) {
  const b64 = attachmentBytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: Bob <${from}>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}-${Math.random()}@example.com>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/html; charset=UTF-8', '', '<p>Hello <b>Alice</b>, the numbers are attached.</p>',
    '--b1', 'Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="numbers.bin"', 'Content-Transfer-Encoding: base64', '', b64,
    '--b1--', '',
  ].join('\r\n');
}

describe('web UI in headless Chromium', () => {
  it('creates an address, shows new mail without reload, downloads its attachment, replies; an admin creates one for someone else and deletes one', async () => {
    const page = await newPage();
    await page.goto(base());
    await page.getByTestId('new-name').fill('ui-alice');
    await page.getByTestId('create-named').click();
    await expect.poll(() => page.getByTestId('address-switcher').inputValue()).toBe('ui-alice@example.com');
    await page.getByTestId('empty').waitFor();

    const bob = await apiNewAddress('ui-bob');
    await deliver(bob.address, 'ui-alice@example.com', messageWithAttachment(bob.address, 'ui-alice@example.com', 'Numbers for you'));
    // Polling picks it up: no reload.
    await page.getByTestId('new-mail').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('mail-subject').first().textContent()).toContain('Numbers for you');
    expect(await page.locator('.mail-row.unread').count()).toBe(1);

    await page.getByTestId('mail-row').first().click();
    await expect.poll(() => page.getByTestId('subject').textContent()).toBe('Numbers for you');
    expect(await page.getByTestId('from').textContent()).toContain(bob.address);
    const frame = page.frameLocator('[data-testid="mail-frame"]');
    await expect.poll(() => frame.locator('b').textContent()).toBe('Alice');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-0').click()]);
    expect(download.suggestedFilename()).toBe('numbers.bin');
    expect(readFileSync((await download.path())!).equals(attachmentBytes)).toBe(true);

    // An HTML-only mail's text view is the text of its HTML, said to be so.
    await page.getByTestId('view-text').click();
    await expect.poll(() => page.getByTestId('text-body').textContent()).toBe('Hello Alice, the numbers are attached.');
    await page.getByTestId('text-from-html').waitFor();

    await page.getByTestId('view-raw').click();
    await expect.poll(() => page.getByTestId('raw-body').textContent()).toContain('Content-Disposition: attachment; filename="numbers.bin"');

    await page.getByTestId('reply').click();
    await expect.poll(() => page.getByTestId('compose-to').inputValue()).toBe(bob.address);
    expect(await page.getByTestId('compose-subject').inputValue()).toBe('Re: Numbers for you');
    // The HTML-only original is quoted by its text.
    expect(await page.getByTestId('compose-body').inputValue()).toContain('\n> Hello Alice, the numbers are attached.');
    await page.getByTestId('compose-body').fill('Thanks Bob!');
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('Sent.');

    const bobInbox = (await (await fetch(`${base()}/api/parsed_mails`, { headers: { authorization: `Bearer ${bob.jwt}` } })).json()) as any;
    expect(bobInbox.results[0]).toMatchObject({ subject: 'Re: Numbers for you', from: { address: 'ui-alice@example.com' } });

    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-password').fill(inject('adminPassword'));
    await page.getByTestId('admin-login').click();
    await page.getByTestId('admin-stats').waitFor();
    // The password is exchanged for a session and never kept in the browser.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(inject('adminPassword'));
    await page.getByTestId('admin-new-name').fill('ui-for-erin');
    await page.getByTestId('admin-create').click();
    const handedOver = (await page.getByTestId('admin-created').locator('pre').textContent())!.trim();
    const erin = await fetch(`${base()}/api/settings`, { headers: { authorization: `Bearer ${handedOver}` } });
    expect(((await erin.json()) as { address: string }).address).toBe('ui-for-erin@example.com');
    await page.getByTestId('admin-search').fill('ui-bob');
    await expect.poll(() => page.getByTestId('admin-row-address').allTextContents()).toEqual(['ui-bob@example.com']);
    await page.getByTestId('admin-delete').click();
    await expect.poll(() => page.getByTestId('admin-row').count()).toBe(0);
    const gone = await fetch(`${base()}/api/settings`, { headers: { authorization: `Bearer ${bob.jwt}` } });
    expect(gone.status).toBe(401);
    await page.context().close();
  });

  it('sends later with cc, bcc and an attachment; the Sent page shows status and recipients, and cancels it; a direct send shows delivered', async () => {
    const alice = await apiNewAddress('ui-later');
    await apiNewAddress('ui-later-cc');
    await apiNewAddress('ui-later-bcc');
    const page = await newPage();
    await signInAs(page, alice, 'compose');
    await page.getByTestId('compose-to').fill('someone@far.test');
    await page.getByTestId('compose-cc').fill('ui-later-cc@example.com');
    await page.getByTestId('compose-bcc').fill('ui-later-bcc@example.com');
    await page.getByTestId('compose-subject').fill('Later, with a file');
    await page.getByTestId('compose-body').fill('See the attachment.');
    await page.getByTestId('compose-files').setInputFiles({ name: 'numbers.bin', mimeType: 'application/octet-stream', buffer: attachmentBytes });
    await page.getByTestId('compose-later').check();
    // datetime-local takes the browser's local time: an hour from now.
    const local = await page.evaluate(() => {
      const d = new Date(Date.now() + 3_600_000 - new Date().getTimezoneOffset() * 60_000);
      return d.toISOString().slice(0, 16);
    });
    await page.getByTestId('compose-at').fill(local);
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toMatch(/^Scheduled for /);

    await page.getByTestId('tab-sent').click();
    await expect.poll(() => page.getByTestId('sent-status').first().textContent()).toBe('scheduled');
    await page.getByTestId('sent-row').first().click();
    await expect.poll(() => page.getByTestId('sent-recipient').allTextContents()).toEqual([
      expect.stringContaining('someone@far.test (to) — queued'),
      expect.stringContaining('ui-later-cc@example.com (cc) — queued'),
      expect.stringContaining('ui-later-bcc@example.com (bcc) — queued'),
    ]);
    const emails = (await (await fetch(`${base()}/api/v1/emails`, { headers: { authorization: `Bearer ${alice.jwt}` } })).json()) as any;
    expect(emails.data[0]).toMatchObject({ status: 'scheduled', attachments: [{ filename: 'numbers.bin', size: attachmentBytes.length }] });
    expect(await page.getByTestId('journey-queued').getAttribute('data-reached')).toBe('no');
    await page.getByTestId('sent-cancel').click();
    await expect.poll(() => page.getByTestId('sent-status').first().textContent()).toBe('cancelled');
    // Cancelled before its time, it never was queued.
    expect(await page.getByTestId('journey-queued').getAttribute('data-reached')).toBe('no');

    // Sending now answers at once (the synchronous door) and shows up delivered.
    await page.getByTestId('tab-compose').click();
    await page.getByTestId('compose-to').fill('ui-later-cc@example.com');
    await page.getByTestId('compose-subject').fill('Right now');
    await page.getByTestId('compose-body').fill('Hello.');
    await page.getByTestId('compose-send').click();
    await expect.poll(() => page.getByTestId('compose-status').textContent()).toBe('Sent.');
    await page.getByTestId('tab-sent').click();
    await expect.poll(() => page.getByTestId('sent-status').first().textContent()).toBe('delivered');
    await page.context().close();
  });

  it('renders a malicious HTML mail inert: no script, no handler, no remote load until images are allowed', async () => {
    const attacker = await startRecorder();
    try {
      const victim = await apiNewAddress('ui-victim');
      const a = attacker.url;
      const html = [
        `<html><head><meta http-equiv="refresh" content="0;url=${a}/refresh"><link rel="stylesheet" href="${a}/link.css">`,
        `<style>@import url(${a}/import.css); body { background: url(${a}/bg.png); }</style>`,
        `<script>window.top.__pwned = 1; fetch('${a}/script');</script></head><body>`,
        `<p id="hello">Hello victim</p>`,
        `<img src="x" onerror="fetch('${a}/onerror')">`,
        `<img src="${a}/remote.png" id="tracker">`,
        `<a id="js" href="javascript:fetch('${a}/jslink')">click me</a>`,
        `<a id="out" href="https://example.org/">a normal link</a>`,
        `<svg onload="fetch('${a}/svg')"><script>fetch('${a}/svgscript')</script></svg>`,
        `<iframe src="${a}/iframe"></iframe><object data="${a}/object"></object>`,
        `<form action="${a}/form"><button id="submit">go</button></form>`,
        `<div style="background-image:url(${a}/inline-style.png)">styled</div>`,
        `</body></html>`,
      ].join('\n');
      const raw = [`From: Evil <evil@example.com>`, `To: ${victim.address}`, 'Subject: You won', `Message-ID: <evil-${Date.now()}@example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=UTF-8', '', html, ''].join('\r\n');
      await deliver('evil@example.com', victim.address, raw);

      const page = await newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => dialogs.push(d.message()));
      await signInAs(page, victim, 'inbox');
      await page.getByTestId('mail-row').first().click();
      const frame = page.frameLocator('[data-testid="mail-frame"]');
      await expect.poll(() => frame.locator('#hello').textContent()).toBe('Hello victim');
      await page.getByTestId('remote-blocked').waitFor();
      await page.waitForTimeout(1500);
      expect(attacker.hits).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // Links: the javascript: one lost its href; normal ones open in a new tab without an opener.
      expect(await frame.locator('#js').getAttribute('href')).toBeNull();
      expect(await frame.locator('#out').getAttribute('target')).toBe('_blank');
      expect(await frame.locator('#out').getAttribute('rel')).toBe('noopener noreferrer');
      await frame.locator('#js').click();
      expect(await frame.locator('#submit').count()).toBe(0);

      await page.getByTestId('load-images').click();
      await expect.poll(() => attacker.hits.includes('/remote.png'), { timeout: 10_000 }).toBe(true);
      await page.waitForTimeout(1000);
      const forbidden = ['/script', '/onerror', '/jslink', '/svg', '/svgscript', '/refresh', '/link.css', '/import.css', '/iframe', '/object', '/form'];
      expect(attacker.hits.filter((h) => forbidden.includes(h))).toEqual([]);
      // Only images may load once allowed.
      expect(attacker.hits.every((h) => h.endsWith('.png'))).toBe(true);
      expect(dialogs).toEqual([]);
      await page.context().close();
    } finally {
      await attacker.close();
    }
  });

  it('shows the password with the three ways to use it, logs in by pasted token, and forgets an address', async () => {
    const carol = await apiNewAddress('ui-carol');
    const page = await newPage();
    await page.goto(base());
    await page.getByTestId('login-token').fill(carol.jwt);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('address-switcher').inputValue()).toBe(carol.address);
    await page.getByTestId('tab-password').click();
    expect(await page.getByTestId('jwt').textContent()).toBe(carol.jwt);
    for (const id of ['example-header', 'example-body', 'example-smtp']) expect(await page.getByTestId(id).textContent()).toContain(carol.jwt);
    expect(await page.getByTestId('example-smtp').textContent()).toContain(`smtp.login("jwt"`);
    // The server the operator named (SMTP_PROXY_ADDRESS), with STARTTLS as a remote proxy needs.
    await expect.poll(() => page.getByTestId('example-smtp').textContent()).toContain('smtplib.SMTP("smtp.e2e.test", 2587)\nsmtp.starttls()\n');
    expect(await page.getByTestId('example-smtp').textContent()).toContain(carol.address);
    await page.getByTestId('forget').click();
    await page.getByTestId('create-random').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('edgemail.addresses'))).toBe('[]');
    await page.context().close();
  });

  it('switches to Chinese and to the dark theme, and fits a phone screen', async () => {
    const dave = await apiNewAddress('ui-dave');
    const page = await newPage({ width: 375, height: 740 });
    await page.goto(base());
    await page.evaluate((entry) => {
      localStorage.setItem('edgemail.addresses', JSON.stringify([entry]));
      localStorage.setItem('edgemail.current', JSON.stringify(entry.address));
      localStorage.setItem('edgemail.lang', 'en');
      localStorage.setItem('edgemail.theme', 'light');
    }, { address: dave.address, jwt: dave.jwt });
    await page.reload();
    await page.getByTestId('tab-inbox').waitFor();
    await page.getByTestId('lang-toggle').click();
    expect(await page.getByTestId('tab-inbox').textContent()).toBe('收件箱');
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
