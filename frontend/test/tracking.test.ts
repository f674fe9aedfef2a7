import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freshPage, startRecorder, useChromium } from './browser';
import { answerDialogs, apiNewAddress, base, deliverRaw as deliver, logInAsAdmin, signInAs } from './ui-helpers';

const browser = useChromium();

const newPage = (): Promise<Page> => freshPage(browser());

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

const unQp = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('tracking and webhooks in headless Chromium', () => {
  it('shows a sent message\'s journey: queued, sent, delivered, opened, clicked, replied', async () => {
    const alice = await apiNewAddress(`journey-a-${unique()}`);
    const bob = await apiNewAddress(`journey-b-${unique()}`);
    const auth = (jwt: string) => ({ authorization: `Bearer ${jwt}`, 'content-type': 'application/json' });
    const sent = await fetch(`${base()}/api/v1/emails`, {
      method: 'POST',
      headers: auth(alice.jwt),
      body: JSON.stringify({ to: bob.address, subject: 'Journey', html: '<p>See <a href="https://example.net/offer">the offer</a></p>', track_opens: true, track_clicks: true }),
    });
    expect(sent.status).toBe(202);
    const { data } = (await sent.json()) as { data: { id: string; message_id: string } };
    const email = async () => ((await (await fetch(`${base()}/api/v1/emails/${data.id}`, { headers: auth(alice.jwt) })).json()) as any).data;
    await expect.poll(async () => (await email()).status, { timeout: 20_000 }).toBe('delivered');

    // Bob's client loads the pixel and follows the link (after the 2 s prefetch window).
    const mails = (await (await fetch(`${base()}/api/mails?limit=5&offset=0`, { headers: auth(bob.jwt) })).json()) as { results: { raw: string }[] };
    const raw = unQp(mails.results[0]!.raw);
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(raw)![1]!;
    const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(raw)![1]!;
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(pixel)).status).toBe(200);
    const click = await fetch(link, { redirect: 'manual' });
    expect(click.headers.get('location')).toBe('https://example.net/offer');
    // And answers from outside.
    await deliver('bob@far.test', alice.address, [`From: Bob <bob@far.test>`, `To: ${alice.address}`, 'Subject: Re: Journey', `Message-ID: <${unique()}@far.test>`, `In-Reply-To: ${data.message_id}`, '', 'Yes please.', ''].join('\r\n'));
    await expect.poll(async () => (await email()).unified_status).toBe('replied');

    const page = await newPage();
    await signInAs(page, alice, 'sent');
    await expect.poll(() => page.getByTestId('sent-unified').first().textContent()).toContain('replied');
    await page.getByTestId('sent-row').first().click();
    const reached = () => page.getByTestId('sent-journey').locator('li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-testid')}:${li.getAttribute('data-reached')}`));
    await expect.poll(reached).toEqual(['journey-queued:yes', 'journey-sent:yes', 'journey-delivered:yes', 'journey-opened:yes', 'journey-clicked:yes', 'journey-replied:yes']);
  });

  it('lets an admin add a webhook (secret shown once), send a test, and see deliveries of received mail', async () => {
    const receiver = await startRecorder();
    try {
      const box = await apiNewAddress(`hooked-${unique()}`);
      const page = await newPage();
      await logInAsAdmin(page);
      await page.getByTestId('webhook-url').fill(`${receiver.url}/hook`);
      await page.getByTestId('webhook-filter').fill(box.address);
      // With no event ticked, it says so before asking the server.
      const ticked = await page.locator('[data-testid^="webhook-event-"]:checked').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-testid')));
      expect(ticked.length).toBeGreaterThan(0);
      for (const id of ticked) await page.getByTestId(id!).uncheck();
      await page.getByTestId('webhook-add').click();
      await expect.poll(() => page.getByText('Tick at least one event to send.').count()).toBe(1);
      for (const id of ticked) await page.getByTestId(id!).check();
      await page.getByTestId('webhook-add').click();
      await expect.poll(() => page.getByTestId('webhook-secret').textContent()).toMatch(/whsec_[A-Za-z0-9+/=]{40,}/);
      const row = page.getByTestId('webhook-row').filter({ hasText: `${receiver.url}/hook` });
      expect(await row.getByTestId('webhook-state').textContent()).toBe('enabled');

      await row.getByTestId('webhook-test').click();
      await expect.poll(() => page.getByTestId('webhook-delivery').first().textContent()).toContain('webhook.test');
      expect(await page.getByTestId('webhook-delivery-attempts').first().textContent()).toMatch(/^200 \(\d+ ms\)$/);
      expect(receiver.hits).toContain('/hook');

      // Mail for the mailbox goes out through the webhook queue on its own.
      await deliver('news@far.test', box.address, [`From: news@far.test`, `To: ${box.address}`, 'Subject: Code 123456', `Message-ID: <${unique()}@far.test>`, '', 'Your code is 123456', ''].join('\r\n'));
      await expect
        .poll(async () => {
          await row.getByTestId('webhook-deliveries').click();
          return page.getByTestId('webhook-delivery').allTextContents();
        }, { timeout: 20_000 })
        .toEqual(expect.arrayContaining([expect.stringMatching(/^delivered\s*email\.received/)]));
      expect(receiver.hits.filter((h) => h === '/hook').length).toBeGreaterThanOrEqual(2);

      await row.getByTestId('webhook-toggle').click();
      await expect.poll(() => row.getByTestId('webhook-state').textContent()).toBe('disabled');
      // Deleting asks first: told no, the webhook stays.
      const asked = answerDialogs(page, ['dismiss', 'accept']);
      await row.getByTestId('webhook-delete').click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toBe(`Delete the webhook to ${receiver.url}/hook? Its deliveries stop at once.`);
      expect(await page.getByTestId('webhook-row').filter({ hasText: `${receiver.url}/hook` }).count()).toBe(1);
      await row.getByTestId('webhook-delete').click();
      await expect.poll(() => page.getByTestId('webhook-row').filter({ hasText: `${receiver.url}/hook` }).count()).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
