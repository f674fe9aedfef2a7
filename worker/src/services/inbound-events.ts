/**
 * What follows once a received message is stored (ingest calls this, and only this, for INBOX and
 * Junk): reply detection for the messages it answers, and the `email.received` webhook event.
 */
import type { MailRecord } from '../db/mails';
import type { AddressRow } from '../db/schema';
import type { WebhookRow } from '../db/schema-webhooks';
import type { Deps } from './deps';
import type { ParsedMessage } from './parse';
import { noteReply } from './tracking/replies';
import { emitEvents } from './webhooks/emit';
import { receivedData } from './webhooks/payloads';

/** `endpoints`: the enabled webhooks, when the delivery's batch already read them. */
export async function onMailReceived(deps: Deps, mailbox: AddressRow, record: MailRecord['mail'], parsed: ParsedMessage, endpoints?: WebhookRow[]): Promise<void> {
  await onCopiesReceived(deps, [{ mailbox, record }], parsed, endpoints);
}

/**
 * The same for one message stored in several mailboxes (ingestCopies): the copies answer the same
 * messages, so replies are looked for once, and their `email.received` events are written together.
 */
export async function onCopiesReceived(deps: Deps, copies: { mailbox: AddressRow; record: MailRecord['mail'] }[], parsed: ParsedMessage, endpoints?: WebhookRow[]): Promise<void> {
  const mails = copies.map(({ record }) => ({
    ...record,
    publicId: record.publicId ?? null,
    messageId: record.messageId ?? null,
    subject: record.subject ?? null,
    snippet: record.snippet ?? '',
    fromAddress: record.fromAddress ?? null,
    inReplyTo: record.inReplyTo ?? null,
    references: record.references ?? null,
    verificationCode: record.verificationCode ?? null,
    verificationLink: record.verificationLink ?? null,
    verificationConfidence: record.verificationConfidence ?? null,
  }));
  if (mails[0]) {
    try {
      await noteReply(deps, mails[0]);
    } catch (err) {
      // The message is stored: failing the delivery now would only make the sender retry into a duplicate.
      console.error(JSON.stringify({ level: 'error', event: 'reply_detection_failed', mailbox: copies[0]!.mailbox.id, error: String(err) }));
    }
  }
  await emitEvents(
    deps,
    copies.map(({ mailbox }, i) => ({ type: 'email.received' as const, address: mailbox.address, data: receivedData(mails[i]!, mailbox.address, parsed, deps.config.publicUrl ?? '') })),
    endpoints,
  );
}
