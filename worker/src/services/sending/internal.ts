/** Delivery to our own mailboxes: the same ingest path as received mail, with SMTP-like results. */
import type { Bytes } from '../../lib/bytes';
import { AppError } from '../../lib/errors';
import { resolveMailbox, resolveMailboxes } from '../addresses';
import type { Deps } from '../deps';
import { ingestCopies, ingestMessage } from '../ingest';
import type { ParsedMessage } from '../parse';
import type { RecipientResult } from '../providers/types';

export async function deliverInternally(deps: Deps, envelopeFrom: string, address: string, raw: Bytes, parsed: ParsedMessage): Promise<RecipientResult> {
  try {
    const mailbox = await resolveMailbox(deps, address);
    await ingestMessage(deps, { mailbox, envelopeFrom, envelopeTo: address, raw, parsed });
    return delivered(address);
  } catch (err) {
    return failed(address, err);
  }
}

/**
 * One message for several of our mailboxes: their rows read in one round trip and the copies stored
 * in one D1 batch (ingestCopies). Answers the recipients it settled; the caller delivers any others
 * one by one with deliverInternally (when the batch could not be used, that is all of them but those
 * refused here).
 */
export async function deliverInternallyTogether(deps: Deps, envelopeFrom: string, addresses: string[], raw: Bytes, parsed: ParsedMessage): Promise<Map<string, RecipientResult>> {
  const settled = new Map<string, RecipientResult>();
  const mailboxes = [];
  for (const [address, found] of await resolveMailboxes(deps, addresses)) {
    if (found instanceof AppError) settled.set(address, failed(address, found));
    else mailboxes.push({ address, mailbox: found });
  }
  if (mailboxes.length === 0) return settled;
  try {
    const stored = await ingestCopies(deps, { mailboxes: mailboxes.map((m) => m.mailbox), envelopeFrom, raw, parsed });
    if (stored) for (const { address } of mailboxes) settled.set(address, delivered(address));
  } catch (err) {
    for (const { address } of mailboxes) settled.set(address, failed(address, err));
  }
  return settled;
}

const delivered = (address: string): RecipientResult => ({ address, outcome: 'accepted', via: 'internal', smtpCode: 250, dsnCode: '2.0.0', response: '250 2.0.0 Delivered to the mailbox' });

function failed(address: string, err: unknown): RecipientResult {
  // A refusal (unknown mailbox, too large) is permanent for this recipient; anything else is ours
  // (storage trouble) and worth retrying without touching the other recipients' results.
  if (err instanceof AppError && err.status < 500) {
    const [code, dsn] = err.code === 'payload_too_large' ? [552, '5.3.4'] : [550, '5.1.1'];
    return { address, outcome: 'bounced', via: 'internal', smtpCode: code, dsnCode: dsn, response: `${code} ${dsn} ${err.message}` };
  }
  console.error(JSON.stringify({ level: 'error', event: 'internal_delivery_failed', recipient: address, error: String(err) }));
  return { address, outcome: 'deferred', via: 'internal', smtpCode: 451, dsnCode: '4.3.0', response: '451 4.3.0 Temporary storage failure' };
}
