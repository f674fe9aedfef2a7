/** Creating, finding, revoking and deleting mailbox addresses. */
import {
  bumpTokenVersion,
  deleteAddressRow,
  findAddressById,
  findAddressByName,
  insertAddress,
  searchAddresses,
} from '../db/addresses';
import type { AddressRow } from '../db/schema';
import { setSendBalance } from '../db/sent';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import { addressBlobPrefixes, deleteBlobPrefix } from './blobs';
import { cachedMailbox, forgetMailbox, rememberMailbox } from './mailbox-cache';
import type { Deps } from './deps';

/** Lowercase letters, digits, `.`, `-`, `_`; no leading, trailing or doubled dot (RFC 5321 dot-atom). */
export const LOCAL_PART = /^(?!\.)(?!.*\.\.)[a-z0-9._-]{1,64}(?<!\.)$/;

export interface NewAddressInput {
  name?: string;
  domain?: string;
}

/** Creates an address, with a random local part when no name is given. A taken name is `address_taken`. */
export async function createAddress(deps: Deps, input: NewAddressInput): Promise<AddressRow> {
  const domain = input.domain?.toLowerCase() ?? deps.config.domains[0]!;
  if (!deps.config.domains.includes(domain)) {
    throw new AppError('validation_failed', `Domain must be one of: ${deps.config.domains.join(', ')}.`, 'domain');
  }
  if (input.name !== undefined) {
    const name = input.name.toLowerCase();
    if (!LOCAL_PART.test(name)) {
      throw new AppError(
        'validation_failed',
        'Name must be 1-64 characters of lowercase letters, digits, ".", "-" or "_", not starting or ending with ".".',
        'name',
      );
    }
    const row = await insertAddress(deps.db, { address: `${name}@${domain}`, now: deps.clock.now(), sendBalance: deps.config.defaultSendBalance });
    if (!row) throw new AppError('address_taken', `The address ${name}@${domain} is already taken.`, 'name');
    return row;
  }
  // A collision among 36^10 names is vanishingly rare; retry a few times rather than fail.
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await insertAddress(deps.db, {
      address: `${randomToken(10)}@${domain}`,
      now: deps.clock.now(),
      sendBalance: deps.config.defaultSendBalance,
    });
    if (row) return row;
  }
  throw new Error('could not allocate a random address');
}

/**
 * The mailbox a message for `recipient` goes to, following the catch-all policy. Throws
 * `mailbox_not_found` when the domain is not ours or the address is unknown under `reject`. The row is
 * for delivery (its id and address): it may come from the isolate's cache (mailbox-cache.ts).
 */
export async function resolveMailbox(deps: Deps, recipient: string): Promise<AddressRow> {
  const address = recipient.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || !deps.config.domains.includes(domain)) {
    throw new AppError('mailbox_not_found', `This server does not accept mail for ${domain || 'that domain'}.`);
  }
  const now = deps.clock.now();
  const cached = cachedMailbox(deps.db, address, now);
  if (cached) return cached;
  let row = await findAddressByName(deps.db, address);
  if (!row && deps.config.catchAll === 'create' && LOCAL_PART.test(local)) {
    // Two first messages may race; whichever insert loses reads the winner's row.
    row = (await insertAddress(deps.db, { address, now, sendBalance: deps.config.defaultSendBalance })) ?? (await mustFind(deps, address));
  }
  if (!row) throw new AppError('mailbox_not_found', 'No such mailbox here.');
  rememberMailbox(deps.db, row, now);
  return row;
}

async function mustFind(deps: Deps, address: string): Promise<AddressRow> {
  const row = await findAddressByName(deps.db, address);
  if (!row) throw new Error(`address ${address} vanished during creation`);
  return row;
}

/** Looks an address up by name; never creates one, whatever the catch-all policy. */
export async function findAddress(deps: Deps, address: string): Promise<AddressRow> {
  const row = await findAddressByName(deps.db, address.trim().toLowerCase());
  if (!row) throw new AppError('mailbox_not_found', 'No such address.');
  return row;
}

export async function getAddress(deps: Deps, id: number): Promise<AddressRow> {
  const row = await findAddressById(deps.db, id);
  if (!row) throw new AppError('mailbox_not_found', 'No such address.');
  return row;
}

/** Revokes every token issued so far and returns the row at its new version. */
export async function rotateToken(deps: Deps, id: number): Promise<AddressRow> {
  const row = await bumpTokenVersion(deps.db, id);
  if (!row) throw new AppError('mailbox_not_found', 'No such address.');
  return row;
}

/** Deletes the address, all its mail, and its R2 objects. */
export async function deleteAddress(deps: Deps, id: number): Promise<void> {
  const row = await findAddressById(deps.db, id);
  if (!row || !(await deleteAddressRow(deps.db, id))) throw new AppError('mailbox_not_found', 'No such address.');
  forgetMailbox(deps.db, row.address);
  for (const prefix of addressBlobPrefixes(id)) await deleteBlobPrefix(deps.blobs, prefix);
}

export async function grantSendBalance(deps: Deps, id: number, balance: number): Promise<AddressRow> {
  if (!(await setSendBalance(deps.db, id, balance))) throw new AppError('mailbox_not_found', 'No such address.');
  return getAddress(deps, id);
}

export function listAddresses(deps: Deps, opts: { query?: string; limit: number; offset: number }) {
  return searchAddresses(deps.db, { ...opts, query: opts.query?.toLowerCase() });
}
