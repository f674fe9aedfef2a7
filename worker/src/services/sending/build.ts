/**
 * Turns a stored payload into the MIME that is delivered (DKIM-signed when the sending domain has a
 * key), and the Sent copy that keeps Bcc. The one place the sending service calls the MIME builder:
 * built and signed once, so every attempt, every recipient and the Sent copy carry the same bytes.
 */
import { concat, type Bytes } from '../../lib/bytes';
import type { Deps } from '../deps';
import { signMessage } from '../dkim';
import { buildMessage } from '../mime';
import type { Mailbox, StoredPayload } from './types';

export async function buildEmailMime(deps: Deps, payload: StoredPayload, messageId: string, date: Date): Promise<Bytes> {
  const built = buildMessage({
    from: { name: payload.from.name, address: payload.from.address },
    to: payload.to,
    cc: payload.cc,
    replyTo: payload.replyTo,
    subject: payload.subject,
    text: payload.text,
    html: payload.html,
    messageId,
    date,
    inReplyTo: payload.inReplyTo,
    references: payload.references,
    headers: payload.headers,
    attachments: payload.attachments,
  });
  return signMessage(deps, built);
}

/** The sender's own copy: the delivered bytes plus a Bcc header, which only the sender ever sees. */
export function withBccHeader(raw: Bytes, bcc: Mailbox[]): Bytes {
  if (bcc.length === 0) return raw;
  return concat([new TextEncoder().encode(`Bcc: ${bcc.map((m) => m.address).join(', ')}\r\n`), raw]);
}
