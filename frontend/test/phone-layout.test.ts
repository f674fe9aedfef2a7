/**
 * The web UI on a phone (390×844): nothing makes the page wider than the screen (a long subject, the
 * admin tables), mail laid out for a desktop is scaled to fit, and a code chip leaves the subject
 * readable.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium } from './browser';
import { acceptingPage, apiNewAddress, base, deliverRaw, logInAsAdmin, signInAs } from './ui-helpers';

const browser = useChromium();

async function phonePage(): Promise<Page> {
  const page = await acceptingPage(browser());
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

function mail(to: string, subject: string, type: string, body: string) {
  return ['From: Dora <dora@sender.test>', `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}-${Math.random()}@sender.test>`, 'MIME-Version: 1.0',
    `Content-Type: ${type}; charset=UTF-8`, '', body, ''].join('\r\n');
}

describe('web UI on a phone', () => {
  it('keeps every page within the screen: long subjects wrap, wide mail is scaled to fit, chips leave the subject whole', async () => {
    const me = await apiNewAddress('phone-layout');
    await deliverRaw('dora@sender.test', me.address, mail(me.address, `Long ${'A'.repeat(200)}`, 'text/plain', 'Hello.'));
    await deliverRaw('dora@sender.test', me.address, mail(me.address, 'Wide newsletter', 'text/html',
      `<html><body><table width="900" style="width:900px"><tr><td id="wide">This newsletter was laid out for a desktop screen and is quite wide indeed, ending here: END</td></tr></table></body></html>`));
    await deliverRaw('dora@sender.test', me.address, mail(me.address, 'Your verification code', 'text/plain', 'Your verification code is 482913. It expires in 10 minutes.'));
    const page = await phonePage();
    await signInAs(page, me, 'inbox');
    await expect.poll(() => page.getByTestId('mail-row').count(), { timeout: 30_000 }).toBe(3);
    await page.getByTestId('code-chip').waitFor();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    // The subject beside a code chip is shown whole, not cut to "Y…".
    const subject = page.getByTestId('mail-row').filter({ hasText: 'Your verification code' }).getByTestId('mail-subject');
    expect(await subject.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await page.getByTestId('mail-row').filter({ hasText: 'Long AAAA' }).click();
    await page.getByTestId('subject').waitFor();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    // Reply, Forward and Delete stay together on one line: Delete does not wrap onto a line of its own.
    const tops = await Promise.all(['reply', 'forward', 'delete'].map(async (id) => (await page.getByTestId(id).boundingBox())!.y));
    expect(Math.max(...tops) - Math.min(...tops), `tops ${tops.join(', ')}`).toBeLessThan(8);

    await page.goBack();
    await page.getByTestId('mail-row').filter({ hasText: 'Wide newsletter' }).click();
    const frame = page.getByTestId('mail-frame');
    await page.frameLocator('[data-testid="mail-frame"]').locator('#wide').waitFor();
    // The table's right edge is inside the frame: the mail is scaled, not cut off.
    await expect.poll(() => frame.evaluate((el) => {
      const doc = (el as HTMLIFrameElement).contentDocument!;
      return doc.getElementById('wide')!.getBoundingClientRect().right <= doc.documentElement.clientWidth + 1;
    })).toBe(true);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    await logInAsAdmin(page);
    await page.getByTestId('admin-row').first().waitFor();
    await page.getByTestId('webhook-url').waitFor();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('dark theme: a danger button\'s text stands out from its colour (WCAG AA, 4.5:1)', async () => {
    const me = await apiNewAddress('dark-contrast');
    await deliverRaw('dora@sender.test', me.address, mail(me.address, 'Hello', 'text/plain', 'Hello.'));
    const page = await phonePage();
    await page.goto(`${base()}/#/login`);
    await page.evaluate(() => localStorage.setItem('edgemail.theme', 'dark'));
    await signInAs(page, me, 'inbox');
    await page.getByTestId('mail-row').first().click({ timeout: 30_000 });
    const button = page.locator('button.danger').first();
    await button.waitFor();
    const ratio = await button.evaluate((el) => {
      const rgb = (css: string) => css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number);
      const luminance = (css: string) => {
        const [r, g, b] = rgb(css).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const style = getComputedStyle(el);
      const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
      return (a! + 0.05) / (b! + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
    await page.context().close();
  });
});
