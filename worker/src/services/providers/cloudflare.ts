/**
 * Cloudflare's `send_email` binding. One EmailMessage per recipient, as the binding takes a single
 * `to`. Locally, wrangler writes each message to a temp .eml file and logs its path.
 */
import { EmailMessage } from 'cloudflare:email';
import type { OutboundMessage, OutboundProvider, RecipientOutcome } from './types';

export function cloudflareProvider(binding: SendEmail): OutboundProvider {
  return {
    name: 'cloudflare',
    async send(message: OutboundMessage): Promise<RecipientOutcome[]> {
      return Promise.all(
        message.recipients.map(async (address): Promise<RecipientOutcome> => {
          try {
            // A byte stream, not a string: 8-bit bodies from send_raw must pass through unchanged.
            await binding.send(new EmailMessage(message.from, address, new Response(message.raw).body!));
            return { address, status: 'sent', via: 'cloudflare' };
          } catch (err) {
            return { address, status: 'failed', via: 'cloudflare', error: err instanceof Error ? err.message : String(err) };
          }
        }),
      );
    },
  };
}
