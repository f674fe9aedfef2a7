/**
 * Holding a request or its answer back with page.route, so a test forces the order in which the
 * page sees things happen instead of leaving it to the machine's speed.
 */
import type { Page, Route } from 'playwright-core';

/** A gate: `opened` resolves once `open()` is called. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Holds back the next answer to requests matching `url`: the server reads it at once (so it is
 * what was true before whatever the test does next), and the page gets it only after `release`.
 */
export async function holdNextAnswer(page: Page, url: string | RegExp) {
  const read = gate();
  const release = gate();
  const delivered = gate();
  let taken = false;
  const handler = async (route: Route) => {
    if (taken) return route.continue();
    taken = true;
    const response = await route.fetch();
    read.open();
    await release.opened;
    await route.fulfill({ response });
    delivered.open();
  };
  await page.route(url, handler);
  return {
    /** Resolves once the server has answered the held request. */
    read: read.opened,
    /** Hands the answer to the page and waits until the page has had time to apply it. */
    async release() {
      release.open();
      await delivered.opened;
      await page.unroute(url, handler);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
    },
  };
}

/** Holds requests matching `url` before they reach the server, until `release()`. */
export async function holdRequests(page: Page, url: string | RegExp) {
  const release = gate();
  await page.route(url, async (route) => {
    await release.opened;
    await route.continue();
  });
  return { release: release.open };
}
