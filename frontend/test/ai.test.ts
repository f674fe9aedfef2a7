/**
 * Verification chips and AI writing in headless Chromium, against the real Worker under wrangler dev
 * whose AI provider is the local OpenAI-protocol server of worker/test/fake-ai.ts.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { freshPage, useChromium } from './browser';
import { holdRequests } from './hold';

const base = () => inject('workerUrl');
const browser = useChromium();

async function signedInPage(name: string): Promise<{ page: Page; address: string }> {
  const res = await fetch(`${base()}/api/new_address`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const { address, jwt } = (await res.json()) as { address: string; jwt: string };
  const page = await freshPage(browser(), { viewport: { width: 1200, height: 800 }, clipboardFor: base() });
  // The UI keeps addresses in localStorage; seed it as "log in with a password" would.
  await page.goto(base());
  await page.evaluate(
    ([a, j]) => {
      localStorage.setItem('edgemail.addresses', JSON.stringify([{ address: a, jwt: j }]));
      localStorage.setItem('edgemail.current', JSON.stringify(a));
    },
    [address, jwt],
  );
  // A full load, so the app reads the seeded storage (a hash-only goto would not reload it).
  await page.goto(`${base()}/#/inbox`);
  await page.reload();
  await page.getByTestId('address-switcher').waitFor();
  return { page, address };
}

async function deliver(to: string, subject: string, html: string, type = 'text/html') {
  const raw = [
    'From: Notifications <no-reply@service.test>', `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}-${Math.random()}@service.test>`,
    'MIME-Version: 1.0', `Content-Type: ${type}; charset=UTF-8`, '', html, '',
  ].join('\r\n');
  const res = await fetch(`${base()}/cdn-cgi/handler/email?from=no-reply%40service.test&to=${encodeURIComponent(to)}`, { method: 'POST', body: raw });
  if (!res.ok) throw new Error(`deliver: ${res.status} ${await res.text()}`);
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

describe('verification chips on inbox rows', () => {
  it('copies the code with one click, without opening the message', async () => {
    const { page, address } = await signedInPage('chip-code');
    await deliver(address, 'Your Acme code', '<p>Your verification code is <b>581204</b>. It expires in 10 minutes.</p>');
    const chip = page.getByTestId('code-chip');
    await chip.waitFor({ timeout: 30_000 });
    expect(await chip.textContent()).toContain('581204');
    await chip.click();
    await expect.poll(() => clipboard(page)).toBe('581204');
    expect(await chip.textContent()).toContain('Copied');
    expect(new URL(page.url()).hash).toBe('#/inbox');
  });

  it('copies the sign-in link, and shows no chip on ordinary mail', async () => {
    const { page, address } = await signedInPage('chip-link');
    const link = 'https://service.test/auth/magic?token=c2lnbi1pbi1saW5rLWZvci1lMmU';
    await deliver(address, 'Dinner', '<p>Dinner at 19:30 on Friday? Table 12.</p>');
    await deliver(address, 'Sign in to Service', `<p>Click to sign in:</p><p><a href="${link}">Sign in</a></p><p><a href="https://service.test/unsubscribe">Unsubscribe</a></p>`);
    await page.getByTestId('link-chip').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('mail-row').count()).toBe(2);
    expect(await page.getByTestId('mail-row').nth(1).getByTestId('link-chip').count()).toBe(0);
    await page.getByTestId('link-chip').click();
    await expect.poll(() => clipboard(page)).toBe(link);
  });
});

describe('AI writing', () => {
  it('summarizes a message and drafts a reply above the quoted original', async () => {
    const { page, address } = await signedInPage('ai-read');
    await deliver(address, 'Budget review', 'Please review the Q2 budget by Friday and tell me if the travel line is too high.', 'text/plain');
    await page.getByTestId('mail-row').first().click({ timeout: 30_000 });
    await page.getByTestId('ai-summarize').click();
    await expect.poll(() => page.getByTestId('ai-summary').textContent()).toMatch(/^Fake summarize answer\. EMAIL\(\d+\): From: Notifications <no-reply@service.test>/);

    await page.getByTestId('ai-draft-reply').click();
    await expect.poll(() => page.getByTestId('compose-body').inputValue(), { timeout: 20_000 }).toMatch(/^Fake reply answer\. EMAIL/);
    const body = await page.getByTestId('compose-body').inputValue();
    // The quoted original stays below the drafted reply.
    expect(body).toContain('> Please review the Q2 budget by Friday');
    expect(await page.getByTestId('compose-subject').inputValue()).toBe('Re: Budget review');
  });

  it('writes with AI from a prompt, then improves the draft', async () => {
    const { page } = await signedInPage('ai-write');
    await page.getByTestId('tab-compose').click();
    await page.getByTestId('ai-write').click();
    await page.getByTestId('ai-prompt').fill('Thank Bob for the quick turnaround');
    await page.getByTestId('ai-generate').click();
    await expect.poll(() => page.getByTestId('compose-body').inputValue()).toMatch(/^Fake compose answer\. REQUEST\(\d+\): Thank Bob for the quick turnaround$/);

    await page.getByTestId('compose-body').fill('hi bob thx for teh quick turnaround');
    await page.getByTestId('ai-improve').click();
    await expect.poll(() => page.getByTestId('compose-body').inputValue()).toBe('Fake improve answer. DRAFT(35): hi bob thx for teh quick turnaround');
  });

  it('keeps the body read-only, and the message unsendable, while the answer streams in', async () => {
    const { page } = await signedInPage('ai-hold');
    // The answer is held back until the checks below are done, so the stream is surely still open.
    const answer = await holdRequests(page, '**/api/v1/ai/generate');
    await page.getByTestId('tab-compose').click();
    await page.getByTestId('compose-body').fill('hi bob thx');
    await page.getByTestId('ai-improve').click();
    await page.getByTestId('ai-busy').waitFor();
    expect(await page.getByTestId('compose-body').isEditable()).toBe(false);
    expect(await page.getByTestId('compose-send').isDisabled()).toBe(true);

    answer.release();
    await expect.poll(() => page.getByTestId('compose-body').inputValue()).toBe('Fake improve answer. DRAFT(10): hi bob thx');
    await page.getByTestId('ai-busy').waitFor({ state: 'detached' });
    expect(await page.getByTestId('compose-body').isEditable()).toBe(true);
    expect(await page.getByTestId('compose-send').isDisabled()).toBe(false);
  });
});
