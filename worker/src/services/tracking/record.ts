/**
 * Recording opens and clicks from the pixel and redirect routes. The first open of a recipient sets
 * its (and, if first, the email's) first_opened_at and adds an `opened` event; later fetches are only
 * counted. Every click is counted and recorded with its URL. A fetch of an internal recipient's pixel
 * within 2 s of delivering it is a prefetch (our own or a client's), not a human: it is not counted.
 */
import { addEvent, countEngagement, findTracked, type TrackedRecipient } from '../../db/tracking';
import { classifyIp } from '../../lib/ip';
import type { Deps } from '../deps';
import { emitEvents } from '../webhooks/emit';
import { emailData } from '../webhooks/payloads';
import { verifyClickToken, verifyOpenToken } from './tokens';

/** What we keep of who fetched: never the IP address itself, only its class. */
export interface TrackingClient {
  userAgent: string;
  /** The connecting address (cf-connecting-ip), when known. */
  ip: string | null;
}

export const PREFETCH_WINDOW_MS = 2000;

function describe(client: TrackingClient) {
  const ipClass = client.ip ? (classifyIp(client.ip) ?? 'unknown') : 'unknown';
  // Mail providers that fetch images on the reader's behalf (or ahead of them): opens, but not from the reader's device.
  const proxy = /GoogleImageProxy/i.test(client.userAgent)
    ? 'google'
    : /YahooMailProxy/i.test(client.userAgent)
      ? 'yahoo'
      : client.ip?.startsWith('17.')
        ? 'apple'
        : null;
  return { user_agent: client.userAgent.slice(0, 300), ip_class: ipClass, proxy };
}

const detailOf = (d: ReturnType<typeof describe>) => `${d.ip_class}${d.proxy ? ` via ${d.proxy}` : ''} · ${d.user_agent || 'no user agent'}`.slice(0, 400);

/** Records a pixel fetch; false when the token is not genuine (the route answers 404). */
export async function recordOpen(deps: Deps, token: string, client: TrackingClient): Promise<boolean> {
  const trackId = await verifyOpenToken(deps.config.tracking.secret, token);
  const found = trackId ? await findTracked(deps.db, trackId) : null;
  if (!found) return false;
  if (!deps.config.tracking.enabled) return true;
  const now = deps.clock.now();
  if (isPrefetch(found, now)) return true;
  const who = describe(client);
  const first = await countEngagement(deps.db, 'open', found.recipient.id, found.email.id, now);
  if (first) {
    await addEvent(deps.db, found.email.id, { type: 'opened', recipient: found.recipient.address, detail: detailOf(who), createdAt: now });
    await emitEvents(deps, [{ type: 'email.opened', address: found.from, data: emailData(found.email, found.from, { recipient: found.recipient.address, ...who }) }]);
  }
  return true;
}

/** The URL a genuine link token signs (after recording the click), else null (the route answers 404). */
export async function recordClick(deps: Deps, token: string, client: TrackingClient): Promise<string | null> {
  const verified = await verifyClickToken(deps.config.tracking.secret, token);
  const found = verified ? await findTracked(deps.db, verified.trackId) : null;
  if (!verified || !found) return null;
  if (!deps.config.tracking.enabled) return verified.url;
  const now = deps.clock.now();
  const who = describe(client);
  await countEngagement(deps.db, 'click', found.recipient.id, found.email.id, now);
  await addEvent(deps.db, found.email.id, { type: 'clicked', recipient: found.recipient.address, detail: verified.url.slice(0, 2000), createdAt: now });
  await emitEvents(deps, [{ type: 'email.clicked', address: found.from, data: emailData(found.email, found.from, { recipient: found.recipient.address, url: verified.url, ...who }) }]);
  return verified.url;
}

function isPrefetch(found: TrackedRecipient, now: number): boolean {
  const r = found.recipient;
  return r.via === 'internal' && r.status === 'delivered' && now - r.updatedAt < PREFETCH_WINDOW_MS;
}
