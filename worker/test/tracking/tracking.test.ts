import { describe, expect, it } from 'vitest';
import { activeAccount, publish, verifyDkim } from '../accounts/helpers';
import { call, createAddress, json } from '../helpers';
import { v1 } from '../v1/helpers';
import { getEmail, sendEmail, settled } from '../v1/sending';
import { fetchTracking, receivedRaw, sleep, trackingUrls, unQp } from './helpers';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The base64url character one bit away: for a signature's last character, a bit the encoding leaves unused. */
const flipLowBit = (c: string) => BASE64URL[BASE64URL.indexOf(c) ^ 1]!;
const HTML = '<p>Hello <a href="https://shop.example.net/order?id=42&amp;ref=mail">your order</a> or <a href="mailto:help@example.com">write</a>.</p>';

async function trackedSend(opts: { track_opens?: boolean; track_clicks?: boolean } = { track_opens: true, track_clicks: true }) {
  const sender = await createAddress(`sender-${unique()}`);
  const rcpt = await createAddress(`rcpt-${unique()}`);
  const res = await sendEmail(sender.jwt, { to: rcpt.address, subject: 'Tracked', html: HTML, ...opts });
  expect(res.status).toBe(202);
  const id = (await json(res)).data.id as string;
  await settled(sender.jwt, id);
  const [raw] = await receivedRaw(rcpt.jwt);
  return { sender, rcpt, id, raw: raw! };
}

describe('open tracking', () => {
  it('records the first pixel fetch as opened once; later fetches are counted, not re-set', async () => {
    const { sender, id, raw } = await trackedSend();
    const { pixel } = trackingUrls(raw);
    expect(pixel).toMatch(/^https:\/\/edgemail\.test\/t\/o\/[a-z0-9]{22}\.[A-Za-z0-9_-]+$/);
    // Nothing internal in the URL: no email id, no numeric ids.
    expect(pixel).not.toContain(id);

    // Within 2 s of delivery to our own mailbox a fetch is a prefetch, not an open.
    const early = await fetchTracking(pixel!);
    expect(early.status).toBe(200);
    expect(early.headers.get('content-type')).toBe('image/gif');
    expect((await getEmail(sender.jwt, id)).first_opened_at).toBeNull();

    await sleep(2100);
    expect((await fetchTracking(pixel!)).status).toBe(200);
    const opened = await getEmail(sender.jwt, id);
    expect(opened.first_opened_at).not.toBeNull();
    expect(opened.unified_status).toBe('opened');
    await fetchTracking(pixel!, { 'user-agent': 'Mozilla/5.0 (GoogleImageProxy)' });
    const again = await getEmail(sender.jwt, id);
    expect(again.first_opened_at).toBe(opened.first_opened_at);
    expect(again.open_count).toBe(2);
    expect(again.recipients[0]).toMatchObject({ open_count: 2, first_opened_at: opened.first_opened_at });
    const events = again.events.filter((e: { type: string }) => e.type === 'opened');
    expect(events).toHaveLength(1);
    expect(events[0].detail).toContain('public');
    expect(events[0].detail).toContain('TestMail');
  });

  it('answers 404 for a pixel token that was tampered with', async () => {
    const { raw } = await trackedSend();
    const { pixel } = trackingUrls(raw);
    // A character inside the signature, and the last one, whose low bits base64 leaves unused.
    for (const at of [pixel!.length - 5, pixel!.length - 1]) {
      const flipped = pixel!.slice(0, at) + flipLowBit(pixel![at]!) + pixel!.slice(at + 1);
      const res = await fetchTracking(flipped);
      expect(res.status, flipped).toBe(404);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    }
    expect((await call('/t/o/not-a-token')).status).toBe(404);
  });
});

describe('click tracking', () => {
  it('redirects only to the URL signed into that recipient\'s message', async () => {
    const { sender, id, raw } = await trackedSend();
    const { links } = trackingUrls(raw);
    // The http(s) link is rewritten; the mailto: link is left alone.
    expect(links).toHaveLength(1);
    expect(unQp(raw)).toContain('href="mailto:help@example.com"');
    const res = await fetchTracking(links[0]!);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example.net/order?id=42&ref=mail');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);

    const email = await getEmail(sender.jwt, id);
    expect(email.unified_status).toBe('clicked');
    expect(email.click_count).toBe(1);
    expect(email.events.find((e: { type: string }) => e.type === 'clicked').detail).toBe('https://shop.example.net/order?id=42&ref=mail');

    // Another URL spliced into the token, or any changed byte of the signature: 404, never a redirect.
    const [trackId, , sig] = new URL(links[0]!).pathname.slice('/t/c/'.length).split('.');
    const evil = btoa('https://evil.example/phish').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const signed = new URL(links[0]!).pathname;
    // A character of the signature changed: a full-width one, and the last, whose low bits are unused.
    const changedByte = `${signed.slice(0, -2)}${signed.at(-2) === 'x' ? 'y' : 'x'}${signed.at(-1)}`;
    const changedLast = `${signed.slice(0, -1)}${flipLowBit(signed.at(-1)!)}`;
    for (const path of [`/t/c/${trackId}.${evil}.${sig}`, changedByte, changedLast, '/t/c/abc']) {
      const tampered = await call(path, { redirect: 'manual' });
      expect(tampered.status, path).toBe(404);
      expect(tampered.headers.get('location')).toBeNull();
    }
  });
});

describe('what is tracked', () => {
  it('adds nothing when the send does not ask (TRACK_* default off) and keeps the Sent copy untracked', async () => {
    const plain = await trackedSend({});
    expect(trackingUrls(plain.raw)).toEqual({ pixel: null, links: [] });
    const email = await getEmail(plain.sender.jwt, plain.id);
    expect(email).toMatchObject({ track_opens: false, track_clicks: false, unified_status: 'delivered' });

    const tracked = await trackedSend();
    const sent = await json(await v1(tracked.sender.jwt, `/mailboxes/${encodeURIComponent(tracked.sender.address)}/messages?folder=Sent`));
    const raw = await (await v1(tracked.sender.jwt, `/mailboxes/${encodeURIComponent(tracked.sender.address)}/messages/${sent.data[0].uid}/raw`)).text();
    expect(raw).toContain('shop.example.net/order');
    expect(raw).not.toContain('/t/c/');
    expect(raw).not.toContain('/t/o/');
  });

  it('gives each recipient its own pixel and links, each copy DKIM-signed and verifying', async () => {
    const account = await activeAccount(`trk${unique()}.test`);
    const { data } = await json(await v1(account.token, `/domains/${account.domain}/dns`));
    await publish(data.records);
    const [a, b] = [await createAddress(`ra-${unique()}`), await createAddress(`rb-${unique()}`)];
    const res = await v1(account.token, '/emails', {
      method: 'POST',
      body: JSON.stringify({ from: account.email, to: [a.address, b.address], subject: 'Signed and tracked', html: HTML, track_opens: true, track_clicks: true }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    await settled(account.token, (await json(res)).data.id);
    const [rawA] = await receivedRaw(a.jwt);
    const [rawB] = await receivedRaw(b.jwt);
    const [ua, ub] = [trackingUrls(rawA!), trackingUrls(rawB!)];
    expect(ua.pixel).not.toBeNull();
    expect(ua.pixel).not.toBe(ub.pixel);
    expect(ua.links[0]).not.toBe(ub.links[0]);
    for (const raw of [rawA!, rawB!]) {
      const result = await verifyDkim(new TextEncoder().encode(raw));
      expect(result.mailauth).toEqual([expect.objectContaining({ status: 'pass', domain: account.domain })]);
    }
  });

  it('tracks nothing with TRACKING=off, whatever the send asks', async () => {
    const { envWith } = await import('../helpers');
    const e = envWith({ TRACKING: 'off' });
    const sender = await createAddress(`off-${unique()}`, undefined, e);
    const res = await call('/api/v1/emails', { method: 'POST', headers: { authorization: `Bearer ${sender.jwt}` }, body: JSON.stringify({ to: 'x@far.test', subject: 's', html: HTML, track_opens: true }) }, e);
    const email = await getEmail(sender.jwt, (await json(res)).data.id);
    expect(email.track_opens).toBe(false);
  });
});
