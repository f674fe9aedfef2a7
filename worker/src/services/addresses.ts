/** Creating, finding, revoking and deleting mailbox addresses. */
import {
  bumpTokenVersion,
  deleteAddressRow,
  findAddressById,
  findAddressByName,
  findAddressesByNames,
  insertAddress,
  searchAddresses,
  touchAddress,
} from '../db/addresses';
import type { AddressRow } from '../db/schema';
import { setSendBalance } from '../db/sent';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import { addressBlobPrefixes, deleteBlobPrefix } from './blobs';
import { cachedMailbox, forgetMailbox, rememberMailbox } from './mailbox-cache';
import type { Deps } from './deps';
import { activeDomainNames, allDomains as allDomainsOf, domainOf, openDomainNames } from './domains/registry';

/** Lowercase letters, digits, `.`, `-`, `_`; no leading, trailing or doubled dot (RFC 5321 dot-atom). */
export const LOCAL_PART = /^(?!\.)(?!.*\.\.)[a-z0-9._-]{1,64}(?<!\.)$/;

export interface NewAddressInput {
  name?: string;
  domain?: string;
}

/**
 * Creates an address, with a random local part when no name is given. A taken name is
 * `address_taken`. Anonymous callers get the open domains (DOMAINS); `anyActiveDomain` is for callers
 * already authorised for the domain (an admin, a user managing it).
 */
export async function createAddress(deps: Deps, input: NewAddressInput, opts: { anyActiveDomain?: boolean } = {}): Promise<AddressRow> {
  const allowed = opts.anyActiveDomain ? await activeDomainNames(deps) : await openDomainNames(deps);
  const domain = input.domain?.toLowerCase() ?? (await openDomainNames(deps))[0];
  if (!domain || !allowed.includes(domain)) {
    throw new AppError('validation_failed', `Domain must be one of: ${allowed.join(', ')}.`, 'domain');
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
  const given = recipient.trim().toLowerCase();
  const at = given.lastIndexOf('@');
  const domain = domainOf(given);
  // Subaddressing (RFC 5233): alice+shop@ is alice@. No address has a "+" (LOCAL_PART), so the part
  // after it only ever labels mail for the mailbox before it.
  const local = given.slice(0, Math.max(at, 0)).replace(/\+.*$/, '');
  const address = `${local}@${domain}`;
  // A pending domain (awaiting approval) receives nothing, exactly like a domain that is not ours.
  const row = at < 1 ? undefined : (await allDomainsOf(deps)).find((d) => d.name === domain && d.status === 'active');
  if (!row) {
    throw new AppError('mailbox_not_found', `This server does not accept mail for ${domain || 'that domain'}.`);
  }
  const now = deps.clock.now();
  const cached = cachedMailbox(deps.db, address, now);
  if (cached) return cached;
  let existing = await findAddressByName(deps.db, address);
  // Catch-all creation is for the operator's open domains, never for a customer's own domain.
  if (!existing && deps.config.catchAll === 'create' && row.open && LOCAL_PART.test(local)) {
    // Two first messages may race; whichever insert loses reads the winner's row.
    existing = (await insertAddress(deps.db, { address, now, sendBalance: deps.config.defaultSendBalance })) ?? (await mustFind(deps, address));
  }
  if (!existing) throw new AppError('mailbox_not_found', 'No such mailbox here.');
  rememberMailbox(deps.db, existing, now);
  return existing;
}

/**
 * resolveMailbox for the recipients of one message: the rows of those this isolate has not seen
 * lately are read in one D1 round trip, not one each. Each recipient gets its row or the error
 * resolveMailbox would throw (an address still unknown goes through resolveMailbox itself, which
 * creates it where the catch-all policy says so).
 */
export async function resolveMailboxes(deps: Deps, recipients: readonly string[]): Promise<Map<string, AddressRow | AppError>> {
  const out = new Map<string, AddressRow | AppError>();
  const now = deps.clock.now();
  const unseen: string[] = [];
  for (const recipient of recipients) {
    const address = recipient.trim().toLowerCase();
    const cached = cachedMailbox(deps.db, address, now);
    if (cached) out.set(recipient, cached);
    else unseen.push(recipient);
  }
  const found = new Map((await findAddressesByNames(deps.db, unseen.map((r) => r.trim().toLowerCase()))).map((row) => [row.address, row]));
  for (const recipient of unseen) {
    try {
      // With its row read above, resolveMailbox only checks the domain and remembers the row.
      const row = found.get(recipient.trim().toLowerCase());
      if (row) rememberMailbox(deps.db, row, now);
      out.set(recipient, await resolveMailbox(deps, recipient));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.set(recipient, err);
    }
  }
  return out;
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

// Recording activity on every read would turn reads into writes; once an hour is plenty for TTLs.
const ACTIVITY_RESOLUTION_MS = 3_600_000;

/** Notes authenticated use of the address (ADDRESS_TTL_DAYS counts from the last), at most hourly. */
export async function recordActivity(deps: Deps, mailbox: AddressRow): Promise<void> {
  const now = deps.clock.now();
  // The row in hand says whether the last record is recent: then there is nothing to write.
  if (mailbox.lastActiveAt >= now - ACTIVITY_RESOLUTION_MS) return;
  await touchAddress(deps.db, mailbox.id, now, ACTIVITY_RESOLUTION_MS);
}
