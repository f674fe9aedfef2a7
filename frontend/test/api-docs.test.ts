/** The /api/v1/docs page in a real browser: its hash-pinned CSP lets its own script run and nothing else. */
import { expect, inject, it } from 'vitest';
import { useChromium } from './browser';

const browser = useChromium();

it('renders every operation from openapi.json under its Content-Security-Policy, with no violation', async () => {
  const page = await browser().newPage();
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  const res = await page.goto(`${inject('workerUrl')}/api/v1/docs`);
  expect(res?.headers()['cache-control']).toBe('public, max-age=3600');
  await page.locator('details').first().waitFor();
  const spec = (await (await fetch(`${inject('workerUrl')}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
  const operations = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  expect(await page.locator('details').count()).toBe(operations);
  // The stylesheet applied too (its hash is in the policy): details get their border.
  expect(await page.locator('details').first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
  expect(violations).toEqual([]);
  await page.close();
});
