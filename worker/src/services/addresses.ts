/** Creating, finding, revoking and deleting mailbox addresses. */
import {
  bumpTokenVersion,
  deleteAddressRow,
  findAddressById,
  findAddressByName,
  findAddressesByNames,
  insertAddress,
  insertAddresses,
  searchAddresses,
  touchAddress,
} from '../db/addresses';
import type { AddressRow } from '../db/schema';
import type { DomainRow } from '../db/schema-accounts';
import { setSendBalance } from '../db/sent';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import { addressBlobPrefixes, deleteBlobPrefix } from './blobs';
import { clientKey } from '../lib/ip';
import { enforceLimit, HOUR_MS } from './rate-limit';
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

/** A recipient as the mailbox it names: lowercased, its subaddress dropped. */
function mailboxNameOf(recipient: string): { address: string; local: string; domain: string; hasLocal: boolean } {
  const given = recipient.trim().toLowerCase();
  const at = given.lastIndexOf('@');
  const domain = domainOf(given);
  // Subaddressing (RFC 5233): alice+shop@ is alice@. No address has a "+" (LOCAL_PART), so the part
  // after it only ever labels mail for the mailbox before it.
  const local = given.slice(0, Math.max(at, 0)).replace(/\+.*$/, '');
  return { address: `${local}@${domain}`, local, domain, hasLocal: at >= 1 };
}

/** The active domain of `domains` a recipient's mailbox would be on; a pending domain receives nothing, like one that is not ours. */
function receivingDomain(domains: DomainRow[], name: ReturnType<typeof mailboxNameOf>) {
  if (!name.hasLocal) return undefined;
  return domains.find((d) => d.name === name.domain && d.status === 'active');
}

const notOurDomain = (domain: string) => new AppError('mailbox_not_found', `This server does not accept mail for ${domain || 'that domain'}.`);
const noSuchMailbox = () => new AppError('mailbox_not_found', 'No such mailbox here.');

/** Catch-all creation is for the operator's open domains, never for a customer's own domain. */
const catchAllCreates = (deps: Deps, domain: { open: boolean }, local: string) => deps.config.catchAll === 'create' && domain.open && LOCAL_PART.test(local);

/**
 * The mailbox a message for `recipient` goes to, following the catch-all policy. Throws
 * `mailbox_not_found` when the domain is not ours or the address is unknown under `reject`. The row is
 * for delivery (its id and address): it may come from the isolate's cache (mailbox-cache.ts).
 */
export async function resolveMailbox(deps: Deps, recipient: string): Promise<AddressRow> {
  const name = mailboxNameOf(recipient);
  const domain = receivingDomain(await allDomainsOf(deps), name);
  if (!domain) throw notOurDomain(name.domain);
  const now = deps.clock.now();
  const cached = cachedMailbox(deps.db, name.address, now);
  if (cached) return cached;
  let existing = await findAddressByName(deps.db, name.address);
  if (!existing && catchAllCreates(deps, domain, name.local)) {
    // Two first messages may race; whichever insert loses reads the winner's row.
    existing = (await insertAddress(deps.db, { address: name.address, now, sendBalance: deps.config.defaultSendBalance })) ?? (await mustFind(deps, name.address));
  }
  if (!existing) throw noSuchMailbox();
  rememberMailbox(deps.db, existing, now);
  return existing;
}

/**
 * resolveMailbox for the recipients of one message, in as few D1 round trips as their number allows:
 * the rows this isolate has not seen lately are read together, and the ones the catch-all policy
 * creates are inserted together (then read, for any a concurrent delivery created first). Each
 * recipient gets its row or the error resolveMailbox would throw.
 */
export async function resolveMailboxes(deps: Deps, recipients: readonly string[]): Promise<Map<string, AddressRow | AppError>> {
  const out = new Map<string, AddressRow | AppError>();
  const now = deps.clock.now();
  /** Mailboxes not in the isolate's cache, with the recipients that name each (alice@ and alice+x@). */
  const unseen = new Map<string, { recipients: string[]; creatable: boolean }>();
  const domains = await allDomainsOf(deps);
  for (const recipient of recipients) {
    const name = mailboxNameOf(recipient);
    const domain = receivingDomain(domains, name);
    if (!domain) {
      out.set(recipient, notOurDomain(name.domain));
      continue;
    }
    const cached = cachedMailbox(deps.db, name.address, now);
    if (cached) {
      out.set(recipient, cached);
      continue;
    }
    const entry = unseen.get(name.address) ?? { recipients: [], creatable: catchAllCreates(deps, domain, name.local) };
    entry.recipients.push(recipient);
    unseen.set(name.address, entry);
  }
  const rows = new Map((await findAddressesByNames(deps.db, [...unseen.keys()])).map((row) => [row.address, row]));
  const toCreate = [...unseen].filter(([address, { creatable }]) => creatable && !rows.has(address)).map(([address]) => address);
  if (toCreate.length > 0) {
    for (const row of await insertAddresses(deps.db, { addresses: toCreate, now, sendBalance: deps.config.defaultSendBalance })) rows.set(row.address, row);
    const raced = toCreate.filter((address) => !rows.has(address));
    for (const row of await findAddressesByNames(deps.db, raced)) rows.set(row.address, row);
  }
  for (const [address, { recipients: named }] of unseen) {
    const row = rows.get(address);
    if (row) rememberMailbox(deps.db, row, now);
    for (const recipient of named) out.set(recipient, row ?? noSuchMailbox());
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

/**
 * Counts one address made by someone who is not an admin (a temporary address, or a signup's
 * mailbox) against NEW_ADDRESSES_PER_HOUR for their IP: every address is a D1 row and a mailbox to
 * serve, so a script must not fill the database. `client` is CF-Connecting-IP, which Cloudflare
 * sets and overwrites whatever a client sent.
 */
export async function countAnonymousCreation(deps: Deps, client: string | undefined): Promise<void> {
  const max = deps.config.newAddressesPerHour;
  await enforceLimit(deps, { name: `new-address:${client ? clientKey(client) : 'unknown'}`, max, windowMs: HOUR_MS, describe: `${max} new addresses per hour from one IP address` });
}
