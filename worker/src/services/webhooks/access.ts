/**
 * Whose webhooks a caller manages (services/accounts/access.ts holds the underlying rules): an admin
 * every endpoint; a mailbox key or address JWT those filtered to its own mailbox; a user those
 * filtered to a mailbox they may read or a domain where they hold view_mailbox. An endpoint without
 * a filter sees every event, so only admins have those. Endpoints a caller may not manage are
 * "not found".
 */
import type { WebhookRow } from '../../db/schema-webhooks';
import { AppError } from '../../lib/errors';
import { mayActOnDomain, mayReadMailbox } from '../accounts/access';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

export type Filter = Pick<WebhookRow, 'mailbox' | 'domain'>;

export async function mayManageFilter(deps: Deps, principal: Principal, filter: Filter): Promise<boolean> {
  if (principal.kind === 'admin') return true;
  if (filter.mailbox !== null) {
    if (filter.domain !== null && !filter.mailbox.endsWith(`@${filter.domain}`)) return false;
    return mayReadMailbox(deps, principal, filter.mailbox);
  }
  if (filter.domain !== null) return mayActOnDomain(deps, principal, filter.domain, 'view_mailbox');
  return false;
}

/** The filter a new endpoint gets: a mailbox key's defaults to its own mailbox; anything it may not manage is refused. */
export async function filterFor(deps: Deps, principal: Principal, wanted: { mailbox?: string | null; domain?: string | null }): Promise<Filter> {
  const filter: Filter = { mailbox: wanted.mailbox?.trim().toLowerCase() || null, domain: wanted.domain?.trim().toLowerCase() || null };
  if (principal.kind === 'mailbox' && filter.mailbox === null && filter.domain === null) filter.mailbox = principal.address;
  if (!(await mayManageFilter(deps, principal, filter))) {
    const what = filter.mailbox ?? filter.domain;
    throw new AppError(
      'access_denied',
      what ? `This key may not receive events of ${what}.` : 'Only admins may create a webhook without a mailbox or domain filter.',
      filter.mailbox ? 'mailbox' : 'domain',
    );
  }
  return filter;
}

export function notFound(): AppError {
  return new AppError('webhook_not_found', 'No such webhook.');
}
