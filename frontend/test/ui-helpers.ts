/** What the browser tests do through the local Worker's own API: make addresses, deliver mail, sign a page in. */
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { freshPage } from './browser';

export const base = () => inject('workerUrl');

/** A page of its own, 1200×800, that accepts downloads and answers every confirm() with OK. */
export async function acceptingPage(browser: Browser): Promise<Page> {
  const page = await freshPage(browser, { viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  page.on('dialog', (dialog) => dialog.accept());
  return page;
}

export async function apiNewAddress(name: string) {
  const res = await fetch(`${base()}/api/new_address`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as { address: string; jwt: string; address_id: number };
}

/** Makes `who` the browser's current address (as logging in with its password does) and opens `tab`. */
export async function signInAs(page: Page, who: { address: string; jwt: string }, tab: string) {
  await page.goto(`${base()}/#/login`);
  await page.evaluate((entry) => {
    localStorage.setItem('edgemail.addresses', JSON.stringify([entry]));
    localStorage.setItem('edgemail.current', JSON.stringify(entry.address));
  }, { address: who.address, jwt: who.jwt });
  await page.goto(`${base()}/#/${tab}`);
  await page.reload();
}

/**
 * Answers the page's next dialogs in turn (`'dismiss'` or `'accept'`) and returns what they asked,
 * for a page that does not accept every dialog by itself (one from freshPage, not acceptingPage).
 */
export function answerDialogs(page: Page, answers: ('dismiss' | 'accept')[]): string[] {
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void (answers.shift() === 'accept' ? dialog.accept() : dialog.dismiss());
  });
  return asked;
}

/** Logs the page in to the admin area with the admin password. */
export async function logInAsAdmin(page: Page) {
  await page.goto(`${base()}/#/admin`);
  await page.getByTestId('admin-password').fill(inject('adminPassword'));
  await page.getByTestId('admin-login').click();
}

/** Delivers through wrangler's local Email Routing endpoint, as the README tells users to. */
export async function deliverRaw(from: string, to: string, raw: string) {
  const res = await fetch(`${base()}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { method: 'POST', body: raw });
  if (!res.ok) throw new Error(`deliver: ${res.status} ${await res.text()}`);
}
