/** Delivery to our own mailboxes: the same ingest path as received mail, with SMTP-like results. */
import type { Bytes } from '../../lib/bytes';
import { AppError } from '../../lib/errors';
import { resolveMailbox } from '../addresses';
import type { Deps } from '../deps';
import { ingestMessage } from '../ingest';
import type { ParsedMessage } from '../parse';
import type { RecipientResult } from '../providers/types';

export async function deliverInternally(deps: Deps, envelopeFrom: string, address: string, raw: Bytes, parsed: ParsedMessage): Promise<RecipientResult> {
  try {
    const mailbox = await resolveMailbox(deps, address);
    await ingestMessage(deps, { mailbox, envelopeFrom, envelopeTo: address, raw, parsed });
    return { address, outcome: 'accepted', via: 'internal', smtpCode: 250, dsnCode: '2.0.0', response: '250 2.0.0 Delivered to the mailbox' };
  } catch (err) {
    // A refusal (unknown mailbox, too large) is permanent for this recipient; anything else is ours
    // (storage trouble) and worth retrying without touching the other recipients' results.
    if (err instanceof AppError && err.status < 500) {
      const [code, dsn] = err.code === 'payload_too_large' ? [552, '5.3.4'] : [550, '5.1.1'];
      return { address, outcome: 'bounced', via: 'internal', smtpCode: code, dsnCode: dsn, response: `${code} ${dsn} ${err.message}` };
    }
    console.error(JSON.stringify({ level: 'error', event: 'internal_delivery_failed', recipient: address, error: String(err) }));
    return { address, outcome: 'deferred', via: 'internal', smtpCode: 451, dsnCode: '4.3.0', response: '451 4.3.0 Temporary storage failure' };
  }
}
