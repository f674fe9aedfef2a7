/**
 * Synchronous sending for the original doors (/api/send_mail, /external/api/send_mail, /api/send_raw
 * and so the SMTP proxy): their clients expect each recipient's result in the answer, so the message
 * is stored, claimed and dispatched once within the request — the same accept and dispatch code as
 * the queue, only without the retries (the caller sees the failure and decides).
 */
import { findEmail, insertEmails } from '../../db/emails';
import type { AddressRow } from '../../db/schema';
import { refundSendBalance } from '../../db/sent';
import type { Bytes } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import { signMessage } from '../dkim';
import type { ParsedMessage } from '../parse';
import type { Principal } from '../principal';
import { announcingOnce } from '../search-index';
import { chargeSender, commitEmails, prepareEmail } from './accept';
import { dispatchAttempt } from './commit';
import type { AttemptReport } from './dispatch';
import { storeRaw } from './payload';
import { DISPATCH_LEASE_MS, type EmailDraft } from './types';

export interface SyncResult extends AttemptReport {
  rowId: number;
  publicId: string;
  messageId: string;
}

const principalOf = (mailbox: AddressRow): Principal => ({ kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: null, rateKey: `jwt:${mailbox.id}` });

/** Accepts a composed message from `mailbox` and dispatches it now, once. */
export async function sendNow(deps: Deps, mailbox: AddressRow, draft: EmailDraft): Promise<SyncResult> {
  const prepared = await prepareEmail(deps, principalOf(mailbox), { ...draft, from: { ...draft.from, address: mailbox.address } });
  const [accepted] = await commitEmails(deps, [prepared], 'sync');
  return dispatchStored(deps, accepted!.id);
}

/**
 * Sends a complete message as given (its From already checked against the mailbox). Header To/Cc
 * recipients are recorded as such; the rest of the envelope as Bcc.
 */
export async function sendRawNow(deps: Deps, mailbox: AddressRow, raw: Bytes, envelope: string[], parsed: ParsedMessage): Promise<SyncResult> {
  const recipients = [...new Set(envelope.map((r) => r.trim().toLowerCase()))];
  if (recipients.length === 0) throw new AppError('validation_failed', 'At least one recipient is required.', 'to_mail');
  if (recipients.length > deps.config.maxRecipients) {
    throw new AppError('validation_failed', `At most ${deps.config.maxRecipients} recipients per message.`, 'to_mail');
  }
  if (raw.byteLength > deps.config.maxMessageBytes) throw new AppError('payload_too_large', `Message exceeds the ${deps.config.maxMessageBytes}-byte limit.`);
  const inHeader = (list: { address: string }[]) => new Set(list.map((m) => m.address.toLowerCase()));
  const to = inHeader(parsed.to);
  const cc = inHeader(parsed.cc);
  const type = (a: string) => (to.has(a) ? 'to' : cc.has(a) ? 'cc' : 'bcc') as 'to' | 'cc' | 'bcc';
  // Signed before it is stored, so every attempt and the Sent copy carry the same signature.
  raw = await signMessage(deps, raw);
  if (raw.byteLength > deps.config.maxMessageBytes) throw new AppError('payload_too_large', `Message exceeds the ${deps.config.maxMessageBytes}-byte limit.`);
  // A raw message is already built, so it skips commitEmails (which stores a compose payload).
  await chargeSender(deps, mailbox.id, 1);
  const now = deps.clock.now();
  const publicId = `em_${randomToken(24)}`;
  try {
    await insertEmails(deps.db, [
      {
        email: {
          publicId,
          addressId: mailbox.id,
          messageId: parsed.messageId ?? '',
          fromName: parsed.from?.name ?? '',
          subject: parsed.subject,
          toJson: JSON.stringify(parsed.to),
          ccJson: JSON.stringify(parsed.cc),
          bccJson: JSON.stringify(recipients.filter((r) => type(r) === 'bcc').map((address) => ({ name: '', address }))),
          status: 'sending',
          ...(await storeRaw(deps, { addressId: mailbox.id, publicId }, raw)),
          charged: true,
          attempts: 1,
          lockedUntil: now + DISPATCH_LEASE_MS,
          createdAt: now,
          updatedAt: now,
        },
        recipients: recipients.map((address) => ({ address, type: type(address), status: 'queued', updatedAt: now })),
        events: [{ type: 'accepted', createdAt: now }],
      },
    ]);
  } catch (err) {
    await refundSendBalance(deps.db, mailbox.id);
    throw err;
  }
  return dispatchStored(deps, publicId);
}

async function dispatchStored(deps: Deps, publicId: string): Promise<SyncResult> {
  const email = await findEmail(deps.db, publicId);
  if (!email) throw new Error(`email ${publicId} vanished after insert`);
  // Internal deliveries and the Sent copy share one search-index announcement.
  const report = await announcingOnce(deps, (gathering) => dispatchAttempt(gathering, email, { final: true }));
  return { ...report, rowId: email.id, publicId, messageId: email.messageId };
}
