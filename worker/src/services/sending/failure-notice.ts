/**
 * The non-delivery notice (RFC 3464 multipart/report) an SMTP client's user gets in their inbox when
 * the proxy said 250 but some recipients could not be reached: after a 250 the mail system must
 * deliver or tell the sender (RFC 5321 §6.1), and SMTP clients never read the 250's text. The
 * notice goes to the sender's own mailbox, internally: it never leaves the Worker.
 */
import type { EmailRecipientRow } from '../../db/schema-sending';
import type { AddressRow } from '../../db/schema';
import type { Bytes } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';
import { readHeaderBlock } from '../../lib/header-block';
import type { Deps } from '../deps';
import { ingestMessage } from '../ingest';

/** Recipient states that mean the message did not reach them. */
const UNDELIVERED = new Set(['failed', 'bounced', 'suppressed']);
/** The original's header block is quoted up to this size, as RFC 3464 text/rfc822-headers. */
const MAX_QUOTED_HEADERS = 16 * 1024;

export const undelivered = (recipients: EmailRecipientRow[]) => recipients.filter((r) => UNDELIVERED.has(r.status));

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').slice(0, 900);

/** The notice as a raw message from MAILER-DAEMON at the sender's domain. */
export function failureNotice(sender: AddressRow, original: Bytes, failed: EmailRecipientRow[], now: number): Bytes {
  const domain = sender.address.split('@')[1]!;
  const boundary = `=_edgemail_${randomToken(16)}`;
  const date = new Date(now).toUTCString().replace('GMT', '+0000');
  const block = readHeaderBlock(original);
  const headers = original.subarray(0, Math.min(block.bodyStart, MAX_QUOTED_HEADERS));
  const subject = block.fields.find((f) => f.name === 'subject')?.value ?? '';
  const human = [
    'This is the mail system at ' + domain + '.',
    '',
    `Your message${subject ? ` "${oneLine(subject)}"` : ''} could not be delivered to ${failed.length === 1 ? 'this recipient' : 'these recipients'}:`,
    '',
    ...failed.map((r) => `  ${r.address}: ${oneLine(r.smtpResponse ?? r.status)}`),
    '',
    'It was delivered to the other recipients. The Sent box has every recipient\'s result.',
  ].join('\r\n');
  const perRecipient = failed
    .map((r) => [`Final-Recipient: rfc822; ${r.address}`, 'Action: failed', `Status: ${statusOf(r)}`, ...(r.smtpResponse ? [`Diagnostic-Code: smtp; ${oneLine(r.smtpResponse)}`] : [])].join('\r\n'))
    .join('\r\n\r\n');
  const text = [
    `From: Mail Delivery System <MAILER-DAEMON@${domain}>`,
    `To: ${sender.address}`,
    `Subject: Undelivered Mail Returned to Sender`,
    `Date: ${date}`,
    `Message-ID: <${randomToken(24)}@${domain}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${domain}`,
    `Arrival-Date: ${date}`,
    '',
    perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    '',
  ].join('\r\n');
  const tail = `\r\n--${boundary}--\r\n`;
  const encoder = new TextEncoder();
  const out = new Uint8Array(encoder.encode(text).byteLength + headers.byteLength + encoder.encode(tail).byteLength);
  const head = encoder.encode(text);
  out.set(head, 0);
  out.set(headers, head.byteLength);
  out.set(encoder.encode(tail), head.byteLength + headers.byteLength);
  return out;
}

/** The enhanced status code (RFC 3463) of a recipient that failed. */
function statusOf(r: EmailRecipientRow): string {
  if (r.dsnCode && /^[245]\.\d{1,3}\.\d{1,3}$/.test(r.dsnCode)) return r.dsnCode;
  return r.status === 'suppressed' ? '5.1.1' : '5.0.0';
}

/** Puts the notice in the sender's inbox (never sent out, so a failing provider cannot loop it). */
export async function deliverFailureNotice(deps: Deps, sender: AddressRow, original: Bytes, failed: EmailRecipientRow[]): Promise<void> {
  if (failed.length === 0) return;
  const raw = failureNotice(sender, original, failed, deps.clock.now());
  await ingestMessage(deps, { mailbox: sender, envelopeFrom: '', envelopeTo: sender.address, raw });
}
