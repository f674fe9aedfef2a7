/**
 * Who may read which mailbox, and the hot reads that check it in the same D1 round trip as the data
 * they read: an address token's row, or an API key's row and the mailbox named in the path, read in
 * one batch with the page, the search, the folders or the message, and checked before anything of it
 * is used (services/principal.ts `UnconfirmedPrincipal`). Access rules: services/accounts/access.ts.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { addressIdNamed, findAddressByName, withAddressNamed, withAddressRow, type AddressIdRef } from '../db/addresses';
import { withKeyAndAddressNamed, type KeyWithMailboxAddress } from '../db/keys';
import type { AddressRow } from '../db/schema';
import { AppError } from '../lib/errors';
import { mayReadMailbox, readsEveryMailbox } from './accounts/access';
import { keyConfirmation, liveKey } from './apikeys';
import { confirmPrincipal } from './confirm-principal';
import type { Deps } from './deps';
import { isUnconfirmed, mailboxPrincipal, type Confirmation, type Principal } from './principal';
import { liveAddress, type AddressTokenClaims } from './tokens';

/**
 * A mailbox the caller may not read, whether or not it exists. Every door answers it exactly like a
 * mailbox that does not exist (`mailbox_not_found`), except the Mail API door, whose guide names
 * this case ACCESS_DENIED: there it is 403 for every mailbox out of the token's reach, existing or
 * not, so that door does not tell them apart either.
 */
export class MailboxOutOfReach extends AppError {
  constructor() {
    super('mailbox_not_found', 'No such mailbox.');
  }
}

/** The mailbox a caller may act on (services/accounts/access.ts). Anything else is "not found". */
export async function mailboxFor(deps: Deps, principal: Principal, address: string): Promise<AddressRow> {
  return (await confirmedMailboxFor(deps, principal, address)).mailbox;
}

/** `mailboxFor`, with who the caller turned out to be (a credential not yet checked is checked first). */
export async function confirmedMailboxFor(deps: Deps, principal: Principal, address: string): Promise<{ mailbox: AddressRow; confirmed: Confirmation }> {
  const wanted = address.trim().toLowerCase();
  // A credential not yet checked against its row is checked now (401 if rotated, revoked or deleted).
  const confirmed = isUnconfirmed(principal) ? await confirmPrincipal(deps, principal) : { principal };
  principal = confirmed.principal;
  // Authentication read this row moments ago in the same request; reading it again buys nothing.
  if (principal.kind === 'mailbox' && principal.address === wanted && principal.row) return { mailbox: principal.row, confirmed };
  if (!(await mayReadMailbox(deps, principal, wanted))) throw new MailboxOutOfReach();
  const row = await findAddressByName(deps.db, wanted);
  if (!row) throw new AppError('mailbox_not_found', 'No such mailbox.');
  return { mailbox: row, confirmed };
}

/**
 * The mailbox named `wanted`, read in the same batch as the data, for a caller who may read every
 * mailbox or whose API key was read in that batch too (`key`): the key is checked first (401), then
 * whether it reaches this mailbox and the mailbox exists (404 either way, so a key never learns which).
 */
export function namedMailbox(deps: Deps, principal: Principal, wanted: string, found: { key?: KeyWithMailboxAddress; address: AddressRow | undefined }): { mailbox: AddressRow; confirmed: Confirmation } {
  const confirmed = principal.kind === 'key' ? keyReaching(deps, found.key, wanted, found.address) : { principal };
  const who = confirmed.principal;
  const reaches = readsEveryMailbox(who) || (who.kind === 'mailbox' && who.address === wanted);
  if (!reaches) throw new MailboxOutOfReach();
  if (!found.address) throw new AppError('mailbox_not_found', 'No such mailbox.');
  return { mailbox: found.address, confirmed };
}

/**
 * Who a key read in a batch makes the caller, for a request naming `wanted` (whose row, if any, is
 * `row`): 401 for a dead key or a mailbox key whose mailbox is gone, 404 for a mailbox key of
 * another mailbox, as when the key is checked on its own.
 */
function keyReaching(deps: Deps, found: KeyWithMailboxAddress | undefined, wanted: string, row: AddressRow | undefined): Confirmation {
  const key = liveKey(deps, found?.key);
  if (key.type === 'admin') return keyConfirmation(key, null);
  // A mailbox key whose mailbox is gone is dead (401, from keyConfirmation); one of another mailbox reaches nothing here.
  if (found!.mailboxAddress === null) return keyConfirmation(key, null);
  if (!row || row.id !== key.addressId) throw new MailboxOutOfReach();
  return keyConfirmation(key, row);
}

/** Reads the mailbox by name with the data (one round trip), checking the caller afterwards. */
export const readsByName = (principal: Principal): boolean => principal.kind === 'key' || readsEveryMailbox(principal);

/**
 * What `query` finds in `address`'s mailbox for `principal`, with the mailbox and who the caller
 * turned out to be, in one D1 round trip where the caller's right to it can be checked afterwards:
 * - the mailbox's own address token not yet checked (`token` principal): its address row is read in
 *   the same batch as `query` and checked (rotation, deletion: 401) before the result is used;
 * - an API key not yet checked (`key`), or a caller who may read every mailbox: the mailbox is found
 *   by name in the same batch as `query`, which is given it as a subquery by name (`addressIdNamed`),
 *   with the key's row; the key is checked (401), then its reach and the mailbox (404: `namedMailbox`).
 * Anyone else is authorised first (`mailboxFor`), then `query` runs.
 */
export async function readAs<Q extends BatchItem<'sqlite'>>(
  deps: Deps,
  principal: Principal,
  address: string,
  query: (addressId: AddressIdRef) => Q,
): Promise<{ mailbox: AddressRow; result: Q['_']['result']; confirmed: Confirmation }> {
  const claims = ownUncheckedToken(principal, address);
  if (claims) {
    const { address: row, result } = await withAddressRow(deps.db, claims.address_id, query(claims.address_id));
    const mailbox = liveAddress(claims, row);
    return { mailbox, result, confirmed: { principal: mailboxPrincipal(mailbox) } };
  }
  const wanted = address.trim().toLowerCase();
  if (principal.kind === 'key') {
    const { key, address: row, result } = await withKeyAndAddressNamed(deps.db, principal.hash, wanted, query(addressIdNamed(wanted)));
    return { ...namedMailbox(deps, principal, wanted, { key, address: row }), result };
  }
  if (readsEveryMailbox(principal)) {
    const { address: row, result } = await withAddressNamed(deps.db, wanted, query(addressIdNamed(wanted)));
    return { ...namedMailbox(deps, principal, wanted, { address: row }), result };
  }
  const { mailbox, confirmed } = await confirmedMailboxFor(deps, principal, address);
  return { mailbox, result: (await query(mailbox.id)) as Q['_']['result'], confirmed };
}

/** The claims of an address token not yet checked against its row, when it names `address` itself. */
export function ownUncheckedToken(principal: Principal, address: string): AddressTokenClaims | null {
  return principal.kind === 'token' && principal.claims.address === address.trim().toLowerCase() ? principal.claims : null;
}
