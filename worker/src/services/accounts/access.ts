/**
 * Who may do what, in one place, for every door (web UI API, /api/v1, compatibility doors):
 * - admin: everything;
 * - mailbox (an address JWT or mailbox key): its own mailbox only;
 * - user (a session): the mailboxes they own, every mailbox of a domain where they hold view_mailbox;
 *   sending as their own addresses or any address of a domain where they hold send_mail; stats of a
 *   domain with view_stats; DNS and verification of a domain with manage_domains; users of a domain
 *   with manage_users.
 */
import { ownsAddress } from '../../db/users';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import { domainOf, isActiveDomain } from '../domains/registry';
import { isUnconfirmed, type Principal } from '../principal';
import { allDomains } from '../domains/registry';
import type { DomainRow } from '../../db/schema-accounts';
import { hasPermission, listPermissions, type Permission } from './permissions';

/** True when the principal may read (and file, flag, delete) this mailbox's mail. */
/** True for a caller who may read every mailbox, so reads need not look the mailbox up first. */
export const readsEveryMailbox = (principal: Principal): principal is Extract<Principal, { kind: 'admin' }> => principal.kind === 'admin';

export async function mayReadMailbox(deps: Deps, principal: Principal, address: string): Promise<boolean> {
  const wanted = address.trim().toLowerCase();
  if (readsEveryMailbox(principal)) return true;
  if (principal.kind === 'mailbox') return principal.address === wanted;
  // An unconfirmed address token or API key may do nothing until its row is read (services/folders.ts).
  if (isUnconfirmed(principal)) return false;
  return (await ownsAddress(deps.db, principal.userId, wanted)) || hasPermission(deps, principal.userId, domainOf(wanted), 'view_mailbox');
}

/** True when the principal may send with this address in From. The one rule every sending door calls. */
export async function maySendAs(deps: Deps, principal: Principal, address: string): Promise<boolean> {
  const wanted = address.trim().toLowerCase();
  if (principal.kind === 'admin') return true;
  if (principal.kind === 'mailbox') return principal.address === wanted;
  if (isUnconfirmed(principal)) return false;
  return (await ownsAddress(deps.db, principal.userId, wanted)) || hasPermission(deps, principal.userId, domainOf(wanted), 'send_mail');
}

/**
 * Throws unless the principal may send as `address` from a domain that sends: `domain_not_allowed`
 * for a domain that is not ours or still pending, `sender_not_allowed` for an address it may not use.
 */
export async function authorizeSender(deps: Deps, principal: Principal, address: string): Promise<void> {
  if (!(await isActiveDomain(deps, domainOf(address)))) {
    throw new AppError('domain_not_allowed', `${domainOf(address)} is not an active sending domain here.`, 'from');
  }
  if (!(await maySendAs(deps, principal, address))) throw new AppError('sender_not_allowed', `This token may not send as ${address}.`, 'from');
}

/** Admins always; users holding `permission` on the domain. Mailbox tokens never act on domains. */
export async function mayActOnDomain(deps: Deps, principal: Principal, domain: string, permission: Permission): Promise<boolean> {
  if (principal.kind === 'admin') return true;
  if (principal.kind !== 'user') return false;
  return hasPermission(deps, principal.userId, domain, permission);
}

export async function requireDomainPermission(deps: Deps, principal: Principal, domain: string, permission: Permission): Promise<void> {
  if (!(await mayActOnDomain(deps, principal, domain, permission))) {
    throw new AppError('access_denied', `This needs ${permission} on ${domain.toLowerCase()}.`);
  }
}

/**
 * Delivery stats: admins see everything; a user sees a domain's (or one sender's) figures with
 * view_stats on that domain, and must name which.
 */
export async function requireStatsAccess(deps: Deps, principal: Principal, scope: { domain?: string; sender?: string }): Promise<void> {
  if (principal.kind === 'admin') return;
  const domain = scope.domain ?? (scope.sender ? domainOf(scope.sender) : undefined);
  if (principal.kind === 'user' && domain === undefined) {
    throw new AppError('access_denied', 'Name a sender (address) in a domain where you hold view_stats.', 'sender');
  }
  if (domain === undefined || !(await mayActOnDomain(deps, principal, domain, 'view_stats'))) {
    throw new AppError('access_denied', 'Stats need an admin key or view_stats on the domain.');
  }
}

/** Domains the principal may see in listings: all for admins, those a user holds any right on. */
export async function domainsVisibleTo(deps: Deps, principal: Principal): Promise<DomainRow[]> {
  if (principal.kind === 'admin') return allDomains(deps);
  if (principal.kind !== 'user') throw new AppError('access_denied', 'Domains are listed for admins and users, not mailbox tokens.');
  const mine = new Set((await listPermissions(deps, principal.userId)).map((g) => g.domain));
  return (await allDomains(deps)).filter((d) => mine.has(d.name));
}
