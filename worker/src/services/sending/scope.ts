/**
 * Whose outbound mail a caller sees (GET/PATCH/cancel of /emails, suppressions): an admin every
 * sender's; a mailbox key or address JWT its own address's; a user the mailboxes the access rules let
 * them read (their own, and those of a domain where they hold view_mailbox). Anything else is "not
 * found", never "forbidden", so ids of other senders reveal nothing.
 */
import { findAddressById } from '../../db/addresses';
import { ownedAddresses } from '../../db/users';
import { AppError } from '../../lib/errors';
import { mayReadMailbox } from '../accounts/access';
import type { Deps } from '../deps';
import { isUnconfirmed, type Principal } from '../principal';

/** Sender address ids a listing is limited to; undefined means every sender (admins). */
export async function listingScope(deps: Deps, principal: Principal): Promise<number[] | undefined> {
  if (principal.kind === 'admin') return undefined;
  if (principal.kind === 'mailbox') return [principal.addressId];
  if (isUnconfirmed(principal)) return [];
  // A user's listing covers the addresses they own; domain-wide readers open a message by id.
  return (await ownedAddresses(deps.db, principal.userId)).map((a) => a.id);
}

/** The sender id a lookup by public id may be limited to in SQL (mailbox principals), if any. */
export function lookupScope(principal: Principal): number | undefined {
  return principal.kind === 'mailbox' ? principal.addressId : undefined;
}

/** Throws `email_not_found` unless the principal may see mail sent from `addressId`. */
export async function assertMaySeeSender(deps: Deps, principal: Principal, addressId: number): Promise<void> {
  if (principal.kind === 'admin') return;
  if (principal.kind === 'mailbox') {
    if (principal.addressId === addressId) return;
    throw new AppError('email_not_found', 'No such email.');
  }
  const sender = await findAddressById(deps.db, addressId);
  if (!sender || !(await mayReadMailbox(deps, principal, sender.address))) throw new AppError('email_not_found', 'No such email.');
}
