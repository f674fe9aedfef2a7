/** Reading the outbound record: a page of emails with their recipients, or one with its timeline. */
import { findAddressById } from '../../db/addresses';
import { eventsOf, recipientsOf } from '../../db/email-recipients';
import { countEmails, findEmailSummary, listEmails, type EmailFilter, type EmailSummaryRow } from '../../db/emails';
import type { EmailEventRow, EmailRecipientRow, EmailStatus } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { assertMaySeeSender, listingScope, lookupScope } from './scope';

export interface EmailView {
  email: EmailSummaryRow;
  recipients: EmailRecipientRow[];
  events?: EmailEventRow[];
}

export interface EmailQuery {
  status?: EmailStatus;
  tag?: string;
  createdAfter?: number;
  createdBefore?: number;
  limit: number;
  offset?: number;
  /** The last id of the previous page (an opaque cursor to clients). */
  beforeId?: number;
}

export async function listSentEmails(deps: Deps, principal: Principal, q: EmailQuery, scopeToAddressId?: number) {
  const filter: EmailFilter = {
    addressId: scopeToAddressId,
    addressIds: await listingScope(deps, principal),
    status: q.status,
    tag: q.tag,
    createdAfter: q.createdAfter,
    createdBefore: q.createdBefore,
  };
  const [rows, total] = await Promise.all([
    listEmails(deps.db, filter, q.limit + 1, { beforeId: q.beforeId, offset: q.beforeId === undefined ? q.offset : 0 }),
    countEmails(deps.db, filter),
  ]);
  const page = rows.slice(0, q.limit);
  const recipients = await recipientsOf(deps.db, page.map((r) => r.id));
  const items: EmailView[] = page.map((email) => ({ email, recipients: recipients.filter((r) => r.emailId === email.id) }));
  return { items, total, nextId: rows.length > q.limit ? page.at(-1)!.id : null };
}

export async function getSentEmail(deps: Deps, principal: Principal, publicId: string): Promise<EmailView> {
  const email = await findEmailSummary(deps.db, publicId, lookupScope(principal));
  if (!email) throw new AppError('email_not_found', 'No such email.');
  await assertMaySeeSender(deps, principal, email.addressId);
  const [recipients, events] = await Promise.all([recipientsOf(deps.db, [email.id]), eventsOf(deps.db, email.id)]);
  return { email, recipients, events };
}

/** The sending address of each email in `views` (by address id), for doors that show `from`. */
export async function senderAddresses(deps: Deps, views: EmailView[]): Promise<Map<number, string>> {
  const ids = [...new Set(views.map((v) => v.email.addressId))];
  const rows = await Promise.all(ids.map((id) => findAddressById(deps.db, id)));
  return new Map(ids.map((id, i) => [id, rows[i]?.address ?? '']));
}
