/** Tracking-test plumbing: the URLs a recipient's copy carries, and fetching them as a mail client would. */
import { expect } from 'vitest';
import { bearer, call, json } from '../helpers';

/** The raw copies in a mailbox (address JWT), newest first. */
export async function receivedRaw(jwt: string): Promise<string[]> {
  const res = await call('/api/mails?limit=20&offset=0', { headers: bearer(jwt) });
  expect(res.status).toBe(200);
  return (await json(res)).results.map((m: { raw: string }) => m.raw);
}

/** Undoes quoted-printable so URLs in an HTML part can be read off the raw message. */
export function unQp(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function trackingUrls(raw: string): { pixel: string | null; links: string[] } {
  const text = unQp(raw);
  const pixel = /src="(https?:\/\/[^"]+\/t\/o\/[^"]+)"/.exec(text)?.[1] ?? null;
  const links = [...text.matchAll(/href="(https?:\/\/[^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return { pixel, links };
}

/** Fetches a tracking URL through the Worker (its path; the origin is the test's). */
export function fetchTracking(url: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  return call(`${u.pathname}${u.search}`, { headers: { 'user-agent': 'Mozilla/5.0 (TestMail)', 'cf-connecting-ip': '8.8.4.4', ...headers }, redirect: 'manual' });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
