/**
 * RCPT TO, checked when the client gives it (RFC 5321 §3.3: a bad recipient is refused at RCPT, so
 * the others still get the message), with the rule the Worker applies to envelope recipients
 * (`z.email()` in worker/src/routes/send.ts). smtp-server hands over internationalised domains in
 * Unicode (it decodes xn-- labels); they go back to ASCII here, since the Worker and mail providers
 * take domains in their ASCII form.
 */
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import type { SmtpReply } from './replies.js';

const EMAIL = z.email();

export type RecipientCheck = { ok: true; address: string } | { ok: false; reply: SmtpReply };

export function checkRecipient(address: string): RecipientCheck {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = at > 0 ? domainToASCII(address.slice(at + 1)) : '';
  // SMTPUTF8 is not offered: an address with a non-ASCII local part cannot be delivered (RFC 6531 §3.5).
  if (/[^\x00-\x7f]/.test(local)) return { ok: false, reply: { code: 553, message: '5.6.7 Non-ASCII local parts are not supported' } };
  const ascii = `${local}@${domain}`.toLowerCase();
  if (!domain || !EMAIL.safeParse(ascii).success) return { ok: false, reply: { code: 553, message: `5.1.3 Bad recipient address syntax: ${address.replace(/[^\x20-\x7e]/g, '?')}` } };
  return { ok: true, address: ascii };
}
