/**
 * Removing a domain the admin does not want: a signup to turn down, or a domain added and never
 * used. Mail is never deleted on the way: a domain whose addresses hold mail is refused until an
 * admin deletes those mailboxes one by one (DELETE /admin/addresses/{id}).
 */
import { deleteDomainWithoutMail, type DomainRemoval } from '../../db/domains';
import { AppError } from '../../lib/errors';
import { addressBlobPrefixes, deleteBlobPrefix } from '../blobs';
import type { Deps } from '../deps';
import { forgetMailbox } from '../mailbox-cache';
import { forgetDomainCache, getDomain } from './registry';

export interface RemovedDomain {
  domain: string;
  addressesDeleted: number;
  usersDeleted: number;
}

/**
 * Addresses a domain may still have and be deleted with them: each is three R2 listings of its
 * prefixes, within the 50 subrequests of a Workers Free invocation. Past it, an admin deletes the
 * addresses first (or lets ADDRESS_TTL_DAYS expire them).
 */
export const REMOVAL_MAX_ADDRESSES = 10;

export async function removeDomain(deps: Deps, name: string): Promise<RemovedDomain> {
  const row = await getDomain(deps, name);
  // A DOMAINS entry would be seeded again by the next request.
  if (deps.config.seedDomains.includes(row.name)) {
    throw new AppError('domain_configured', `${row.name} is in DOMAINS: take it out of DOMAINS (and deploy) before deleting it.`, 'domain');
  }
  const removal = await deleteDomainWithoutMail(deps.db, row.name, REMOVAL_MAX_ADDRESSES);
  forgetDomainCache();
  for (const address of removal.addresses) {
    forgetMailbox(deps.db, address.address);
    // A mailbox without mail can still own objects: its sending records and queued compose inputs.
    for (const prefix of addressBlobPrefixes(address.id)) await deleteBlobPrefix(deps.blobs, prefix);
  }
  if (!removal.removed) throw refusal(row.name, removal);
  return { domain: row.name, addressesDeleted: removal.addresses.length, usersDeleted: removal.users };
}

/** Why a removal did not happen: mail, too many addresses, or the domain went meanwhile. */
function refusal(name: string, removal: DomainRemoval): AppError {
  const n = removal.addressesWithMail;
  if (n > 0) return new AppError('domain_in_use', `${n} ${n === 1 ? 'address' : 'addresses'} on ${name} still ${n === 1 ? 'holds' : 'hold'} mail: delete ${n === 1 ? 'it' : 'them'} first.`, 'domain');
  if (removal.addressesLeft > REMOVAL_MAX_ADDRESSES) {
    return new AppError('domain_in_use', `${name} has ${removal.addressesLeft} addresses; a domain is deleted with at most ${REMOVAL_MAX_ADDRESSES}: delete the others first.`, 'domain');
  }
  return new AppError('domain_not_found', `No domain ${name} here.`);
}
