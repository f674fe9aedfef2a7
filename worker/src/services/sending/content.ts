/**
 * What an accepted email says (bodies and Reply-To), for doors whose email object carries them:
 * read from the compose input until dispatch, then from the message that was built and sent.
 */
import type { Deps } from '../deps';
import { parseMessage } from '../parse';
import type { Principal } from '../principal';
import { emailFor } from './manage';
import { loadPayload, loadRaw } from './payload';
import type { Mailbox } from './types';

export interface EmailContent {
  html: string | null;
  text: string | null;
  replyTo: Mailbox[];
}

/** The content of an email the principal may see (anything else is `email_not_found`). */
export async function getEmailContent(deps: Deps, principal: Principal, publicId: string): Promise<EmailContent> {
  const row = await emailFor(deps, principal, publicId);
  if (row.payload || row.payloadKey) {
    const payload = await loadPayload(deps, row);
    const replyTo = payload.replyTo === undefined ? [] : Array.isArray(payload.replyTo) ? payload.replyTo : [payload.replyTo];
    return { html: payload.html ?? null, text: payload.text ?? null, replyTo };
  }
  const raw = await loadRaw(deps, row);
  if (!raw) return { html: null, text: null, replyTo: [] };
  const parsed = await parseMessage(raw);
  return {
    html: parsed.html,
    text: parsed.text,
    replyTo: parsed.replyTo.map((m) => (m.name ? { address: m.address, name: m.name } : { address: m.address })),
  };
}
