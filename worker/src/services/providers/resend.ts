/**
 * Resend's HTTP API (`POST /emails`). It takes fields, not MIME, so the parsed message is mapped
 * onto them; header To/Cc recipients go as to/cc and the rest of the envelope as bcc. One API call
 * covers every recipient, so they share its outcome: 429, 5xx and network errors are transient,
 * other 4xx permanent (a request problem, not a bounce).
 */
import { bytesToBase64 } from '../../lib/bytes';
import type { MailboxAddress } from '../parse';
import type { DeliveryOutcome, OutboundMessage, OutboundProvider, RecipientResult } from './types';

export interface ResendOptions {
  apiKey: string;
  apiUrl: string;
  fetcher?: typeof fetch;
}

const PASSED_HEADERS = new Set(['in-reply-to', 'references']);

export function resendProvider(options: ResendOptions): OutboundProvider {
  const fetcher = options.fetcher ?? fetch;
  return {
    name: 'resend',
    async send(message: OutboundMessage): Promise<RecipientResult[]> {
      const { parsed, recipients } = message;
      const inEnvelope = (list: MailboxAddress[]) => list.map((m) => m.address.toLowerCase()).filter((a) => recipients.includes(a));
      const to = inEnvelope(parsed.to);
      const cc = inEnvelope(parsed.cc);
      const bcc = recipients.filter((r) => !to.includes(r) && !cc.includes(r));
      // Resend requires a `to`; a Bcc-only message goes to its first recipient as `to`.
      const primary = to.length ? to : bcc.slice(0, 1);
      const hidden = to.length ? bcc : bcc.slice(1);
      const headers = Object.fromEntries(
        parsed.headers.filter((h) => PASSED_HEADERS.has(h.key) || h.key.startsWith('x-')).map((h) => [h.key, h.value]),
      );
      const body = {
        from: parsed.from?.name ? `${parsed.from.name} <${message.from}>` : message.from,
        to: primary,
        cc: cc.length ? cc : undefined,
        bcc: hidden.length ? hidden : undefined,
        reply_to: parsed.replyTo.length ? parsed.replyTo.map((m) => m.address) : undefined,
        subject: parsed.subject ?? '',
        text: parsed.text ?? undefined,
        html: parsed.html ?? undefined,
        headers: { ...headers, 'Message-ID': parsed.messageId ?? undefined },
        attachments: parsed.attachments.map((a) => ({
          filename: a.filename ?? 'attachment',
          content: bytesToBase64(a.content),
          content_type: a.contentType,
        })),
      };
      let response: Response;
      try {
        response = await fetcher(`${options.apiUrl}/emails`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch (err) {
        return fail(recipients, 'deferred', `Resend unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      const payload = (await response.json().catch(() => ({}))) as { id?: string; message?: string; name?: string };
      if (!response.ok) {
        const transient = response.status === 429 || response.status >= 500;
        return fail(recipients, transient ? 'deferred' : 'failed', `Resend ${response.status}: ${payload.message ?? payload.name ?? 'error'}`);
      }
      return recipients.map((address) => ({ address, outcome: 'accepted', via: 'resend', providerId: payload.id }));
    },
  };
}

function fail(recipients: string[], outcome: Exclude<DeliveryOutcome, 'accepted'>, response: string): RecipientResult[] {
  return recipients.map((address) => ({ address, outcome, via: 'resend', response }));
}
