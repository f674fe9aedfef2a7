/** Reading one address's Sent box in the original API's shape (numeric ids, offset paging). */
import { recipientsOf } from '../db/email-recipients';
import { countEmails, findEmailById, listEmails, type EmailSummaryRow } from '../db/emails';
import type { AddressRow } from '../db/schema';
import type { EmailRecipientRow } from '../db/schema-sending';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';
import type { Page } from './mailbox';
import { loadRaw } from './sending/payload';

export interface SentEntry {
  email: EmailSummaryRow;
  recipients: EmailRecipientRow[];
}

export async function listSent(deps: Deps, mailbox: AddressRow, page: Page): Promise<{ rows: SentEntry[]; count: number }> {
  const [emails, count] = await Promise.all([
    listEmails(deps.db, { addressId: mailbox.id }, page.limit, { offset: page.offset }),
    countEmails(deps.db, { addressId: mailbox.id }),
  ]);
  const recipients = await recipientsOf(deps.db, emails.map((e) => e.id));
  return { rows: emails.map((email) => ({ email, recipients: recipients.filter((r) => r.emailId === email.id) })), count };
}

/** One sent message with its source; empty until a queued message has been built. */
export async function getSent(deps: Deps, mailbox: AddressRow, id: number): Promise<SentEntry & { raw: Bytes }> {
  const email = await findEmailById(deps.db, id, mailbox.id);
  if (!email) throw new AppError('message_not_found', 'No such message in this Sent box.');
  const [recipients, raw] = await Promise.all([recipientsOf(deps.db, [email.id]), loadRaw(deps, email)]);
  return { email, recipients, raw: raw ?? new Uint8Array() };
}
