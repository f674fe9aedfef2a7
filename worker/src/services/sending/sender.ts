/**
 * Who may send as whom: an admin as any address on our domains; a mailbox key or address JWT only as
 * its own address; a user as the addresses the access rules allow (services/accounts/access.ts). The
 * answer also says whether the address's send balance and rate apply.
 */
import { findAddressById, findAddressByName, insertAddress } from '../../db/addresses';
import type { AddressRow } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { LOCAL_PART } from '../addresses';
import type { Deps } from '../deps';
import { maySendAs } from '../accounts/access';
import type { Principal } from '../principal';
import { domainOf, servesDomain } from './domains';
import type { Mailbox } from './types';

export interface Sender {
  mailbox: AddressRow;
  from: Mailbox;
  /** Mailbox keys and JWTs spend the address's balance and count against its rate; admins do not. */
  metered: boolean;
}

export async function resolveSender(deps: Deps, principal: Principal, from: Mailbox | undefined): Promise<Sender> {
  if (!from) {
    if (principal.kind !== 'mailbox') throw new AppError('validation_failed', 'from is required unless the key belongs to one mailbox.', 'from');
    return { mailbox: await ownMailbox(deps, principal.addressId), from: { address: principal.address }, metered: true };
  }
  const address = from.address.toLowerCase();
  const domain = domainOf(address);
  if (!(await servesDomain(deps, domain))) {
    throw new AppError('domain_not_allowed', `This server does not send for ${domain}; use an address on one of its domains.`, 'from');
  }
  if (principal.kind === 'mailbox') {
    if (principal.address !== address) throw new AppError('sender_not_allowed', `This key may only send as ${principal.address}.`, 'from');
    return { mailbox: await ownMailbox(deps, principal.addressId), from: { ...from, address }, metered: true };
  }
  if (principal.kind === 'user') {
    if (!(await maySendAs(deps, principal, address))) throw new AppError('sender_not_allowed', `This token may not send as ${address}.`, 'from');
    // Users spend the address's balance like its own token would; only admins send unmetered.
    return { mailbox: await mailboxFor(deps, address), from: { ...from, address }, metered: true };
  }
  // Only admins send unmetered, as anyone; any other principal has been answered above or is refused.
  if (principal.kind === 'admin') return { mailbox: await mailboxFor(deps, address), from: { ...from, address }, metered: false };
  throw new AppError('sender_not_allowed', `This token may not send as ${address}.`, 'from');
}

async function ownMailbox(deps: Deps, addressId: number): Promise<AddressRow> {
  const row = await findAddressById(deps.db, addressId);
  if (!row) throw new AppError('invalid_token', 'The key is invalid or has been revoked.');
  return row;
}

/**
 * An admin (or a user with send_mail on the domain) may send as an address that has no mailbox yet:
 * it gets one, for its Sent copy and replies.
 */
async function mailboxFor(deps: Deps, address: string): Promise<AddressRow> {
  const existing = await findAddressByName(deps.db, address);
  if (existing) return existing;
  if (!LOCAL_PART.test(address.slice(0, address.lastIndexOf('@')))) {
    throw new AppError('validation_failed', 'from: the local part must be lowercase letters, digits, ".", "-" or "_".', 'from');
  }
  const created = await insertAddress(deps.db, { address, now: deps.clock.now(), sendBalance: deps.config.defaultSendBalance });
  return created ?? (await findAddressByName(deps.db, address))!;
}
