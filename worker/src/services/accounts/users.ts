/** People: log-in, the mailboxes they own, and user management within a domain. */
import { findAddressByName, insertAddress } from '../../db/addresses';
import type { AddressRow } from '../../db/schema';
import type { UserRow } from '../../db/schema-accounts';
import { deleteUserRow, findUserByEmail, findUserById, insertOwner, insertUser, listUserRows, ownedAddresses } from '../../db/users';
import { AppError } from '../../lib/errors';
import { countAnonymousCreation, createAddress, LOCAL_PART } from '../addresses';
import type { Deps } from '../deps';
import { domainOf, isActiveDomain, openDomainNames } from '../domains/registry';
import type { Principal } from '../principal';
import { mayActOnDomain } from './access';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { startSession } from './sessions';

export const MIN_PASSWORD_LENGTH = 8;
// PBKDF2 hashes the whole input; a cap keeps one request from costing megabytes of work.
export const MAX_PASSWORD_LENGTH = 1024;

export function validatePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `The password must be at most ${MAX_PASSWORD_LENGTH} characters.`, 'password');
  }
}

/** `local@domain` with a local part we accept for mailboxes, lowercase; otherwise `validation_failed`. */
export function normaliseMailbox(email: string, param = 'email'): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 1 || !LOCAL_PART.test(address.slice(0, at))) {
    throw new AppError('validation_failed', 'The email must be local@domain, the local part of a-z 0-9 . - _.', param);
  }
  return address;
}

// One answer for "no such user" and "wrong password", so logging in never reveals who has an account.
const BAD_LOGIN = 'The email or password is wrong.';

/** Checks the password and opens a session. */
export async function logIn(deps: Deps, email: string, password: string) {
  const user = await findUserByEmail(deps.db, email.trim().toLowerCase());
  // An unknown user still costs one PBKDF2 run, so timing does not tell the two cases apart.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok) throw new AppError('invalid_credentials', BAD_LOGIN);
  return { user, ...(await startSession(deps, user)) };
}

export async function getUserByEmail(deps: Deps, email: string): Promise<UserRow> {
  const user = await findUserByEmail(deps.db, email.trim().toLowerCase());
  if (!user) throw new AppError('user_not_found', `No user ${email}.`);
  return user;
}

export async function getUser(deps: Deps, id: number): Promise<UserRow> {
  const user = await findUserById(deps.db, id);
  if (!user) throw new AppError('invalid_token', 'The session token is invalid or has been revoked.');
  return user;
}

export function addressesOf(deps: Deps, userId: number): Promise<AddressRow[]> {
  return ownedAddresses(deps.db, userId);
}

export function listUsers(deps: Deps, opts: { domain?: string; limit: number; offset: number }) {
  return listUserRows(deps.db, opts);
}

/**
 * Creates a user whose login is a mailbox on an active domain of ours (the caller has checked the
 * right to do so). The mailbox is created, or adopted when it exists and has no owner.
 */
export async function createUser(deps: Deps, input: { email: string; password: string; name: string }): Promise<{ user: UserRow; mailbox: AddressRow }> {
  const email = normaliseMailbox(input.email);
  validatePassword(input.password);
  if (!(await isActiveDomain(deps, domainOf(email)))) throw new AppError('domain_not_allowed', `${domainOf(email)} is not an active domain here.`, 'email');
  const user = await insertUser(deps.db, { email, name: input.name.trim(), passwordHash: await hashPassword(input.password), now: deps.clock.now() });
  if (!user) throw new AppError('user_exists', `A user ${email} already exists.`, 'email');
  const mailbox =
    (await insertAddress(deps.db, { address: email, now: deps.clock.now(), sendBalance: deps.config.defaultSendBalance })) ??
    (await findAddressByName(deps.db, email));
  if (!mailbox) throw new Error(`mailbox ${email} vanished during creation`);
  if (!(await insertOwner(deps.db, mailbox.id, user.id))) {
    await deleteUserRow(deps.db, user.id);
    throw new AppError('address_taken', `The mailbox ${email} already belongs to someone else.`, 'email');
  }
  return { user, mailbox };
}

/** Deletes the user, their sessions and permissions; their mailboxes stay (an admin deletes those). */
export async function deleteUser(deps: Deps, user: UserRow): Promise<void> {
  await deleteUserRow(deps.db, user.id);
}

/**
 * A new address owned by the logged-in user: on an open domain (as anyone may, and counted as
 * anyone's are: a signup is open to anyone too), or on a domain where they hold manage_users.
 */
export async function createOwnAddress(deps: Deps, principal: Extract<Principal, { kind: 'user' }>, input: { name?: string; domain?: string }, client: string | undefined): Promise<AddressRow> {
  const domain = input.domain?.toLowerCase() ?? (await openDomainNames(deps))[0];
  const open = domain !== undefined && (await openDomainNames(deps)).includes(domain);
  if (domain && !open && !(await mayActOnDomain(deps, principal, domain, 'manage_users'))) {
    throw new AppError('access_denied', `Creating addresses on ${domain} needs manage_users there.`, 'domain');
  }
  if (open) await countAnonymousCreation(deps, client);
  const row = await createAddress(deps, { ...input, domain }, { anyActiveDomain: !open });
  await insertOwner(deps.db, row.id, principal.userId);
  return row;
}
