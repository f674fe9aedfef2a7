/**
 * Cloudflare's `send_email` binding. One EmailMessage per recipient, as the binding takes a single
 * `to`. Locally, wrangler writes each message to a temp .eml file and logs its path. The binding
 * reports failures as exceptions without SMTP codes; cloudflare-errors.ts tells the final ones from
 * those worth retrying.
 */
import { EmailMessage } from 'cloudflare:email';
import { withoutFields } from '../../lib/header-block';
import { classifyBindingError } from './cloudflare-errors';
import type { OutboundMessage, OutboundProvider, RecipientResult } from './types';

/**
 * The binding refuses a message that carries trace fields ("invalid headers set"): Cloudflare adds
 * its own. The SMTP proxy's Received line, and any a raw message brings, are left out; DKIM does
 * not sign them, so a signature still verifies.
 */
const REFUSED_BY_BINDING = new Set(['received']);

export function cloudflareProvider(binding: SendEmail): OutboundProvider {
  return {
    name: 'cloudflare',
    async send(message: OutboundMessage): Promise<RecipientResult[]> {
      const raw = withoutFields(message.raw, REFUSED_BY_BINDING);
      return Promise.all(
        message.recipients.map(async (address): Promise<RecipientResult> => {
          try {
            // A byte stream, not a string: 8-bit bodies from send_raw must pass through unchanged.
            const sent = await binding.send(new EmailMessage(message.from, address, new Response(raw).body!));
            return { address, outcome: 'accepted', via: 'cloudflare', ...(sent?.messageId ? { providerId: sent.messageId } : {}) };
          } catch (err) {
            const { outcome, response } = classifyBindingError(err);
            return { address, outcome, via: 'cloudflare', response };
          }
        }),
      );
    },
  };
}
