/** Reading the outbound record: a page of emails with their recipients, or one with its timeline. */
import { findAddressById } from '../../db/addresses';
import { eventsOf, recipientsOf } from '../../db/email-recipients';
import { countEmails, findEmailSummary, listEmails, type EmailFilter, type EmailSummaryRow } from '../../db/emails';
import type { EmailEventRow, EmailRecipientRow, EmailStatus } from '../../db/schema-sending';
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
  /** The first id of the next page: returns the page just newer than it (paging backwards). */
  afterId?: number;
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
    listEmails(deps.db, filter, q.limit + 1, { beforeId: q.beforeId, afterId: q.afterId, offset: q.beforeId === undefined && q.afterId === undefined ? q.offset : 0 }),
    countEmails(deps.db, filter),
  ]);
  const hasMore = rows.length > q.limit;
  // Paging backwards, the extra row is the newest (farthest from the cursor); otherwise the oldest.
  const page = q.afterId !== undefined ? rows.slice(hasMore ? 1 : 0) : rows.slice(0, q.limit);
  const recipients = await recipientsOf(deps.db, page.map((r) => r.id));
  const items: EmailView[] = page.map((email) => ({ email, recipients: recipients.filter((r) => r.emailId === email.id) }));
  return { items, total, hasMore, nextId: q.afterId === undefined && hasMore ? page.at(-1)!.id : null };
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
