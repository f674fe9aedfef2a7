/**
 * Per-recipient copies of a tracked message: each recipient's HTML carries its own pixel and signed
 * links, so each copy is built and DKIM-signed on its own (the signature covers exactly the bytes that
 * recipient gets). The stored message — the Sent copy — stays untracked. Copies are rebuilt from the
 * kept compose input with the first build's Date, so a retry sends the same message again.
 */
import type { EmailRecipientRow, EmailRow } from '../../db/schema-sending';
import type { Bytes } from '../../lib/bytes';
import type { Deps } from '../deps';
import { htmlDocument, textFromHtml } from '../mime/html';
import { buildEmailMime } from '../sending/build';
import { loadPayload } from '../sending/payload';
import { addTracking, linkTargets } from './rewrite';
import { clickToken, openToken } from './tokens';

/** Whether dispatch builds per-recipient copies of this message (TRACKING=off stops even messages accepted before). */
export const isTracked = (deps: Deps, email: Pick<EmailRow, 'trackOpens' | 'trackClicks' | 'trackingBase'>) =>
  deps.config.tracking.enabled && (email.trackOpens || email.trackClicks) && email.trackingBase !== null;

/** Each recipient's tracked copy by address; null when the message is not tracked. */
export async function trackedCopies(deps: Deps, email: EmailRow, recipients: EmailRecipientRow[], builtAt: number): Promise<Map<string, Bytes> | null> {
  if (!isTracked(deps, email)) return null;
  const payload = await loadPayload(deps, email);
  if (payload.html === undefined) return null;
  const base = email.trackingBase!;
  const secret = deps.config.tracking.secret;
  const date = new Date(builtAt);
  // The text alternative stays what the untracked message has: it is derived from the original HTML.
  const text = payload.text ?? textFromHtml(htmlDocument(payload.html));
  const targets = email.trackClicks ? linkTargets(payload.html) : [];
  const copies = new Map<string, Bytes>();
  for (const r of recipients) {
    if (!r.trackId) continue;
    const links = new Map<string, string>();
    for (const url of targets) links.set(url, `${base}/t/c/${await clickToken(secret, r.trackId, url)}`);
    const pixel = email.trackOpens ? `${base}/t/o/${await openToken(secret, r.trackId)}` : undefined;
    copies.set(r.address, await buildEmailMime(deps, { ...payload, text, html: addTracking(payload.html, links, pixel) }, email.messageId, date));
  }
  return copies;
}
