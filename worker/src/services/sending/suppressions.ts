/**
 * Suppressions: a recipient that hard-bounced is skipped by later sends from that domain. An admin
 * sees and lifts any; a mailbox key (or a user) only those its own addresses' sends caused (other
 * senders' recipients are not its business).
 */
import { deleteSuppressions, listSuppressions } from '../../db/suppressions';
import type { SuppressionRow } from '../../db/schema-sending';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { listingScope } from './scope';

const scopeOf = async (deps: Deps, principal: Principal) => ({ sourceAddressIds: await listingScope(deps, principal) });

export async function listSuppressed(
  deps: Deps,
  principal: Principal,
  query: { domain?: string; email?: string; limit: number; cursor?: number },
): Promise<{ rows: SuppressionRow[]; nextCursor: number | null }> {
  const rows = await listSuppressions(
    deps.db,
    { ...(await scopeOf(deps, principal)), domain: query.domain?.toLowerCase(), address: query.email?.toLowerCase() },
    query.limit + 1,
    query.cursor,
  );
  const page = rows.slice(0, query.limit);
  return { rows: page, nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** Lifts the suppression of `email` (for one domain, or every domain the caller may see). */
export async function liftSuppression(deps: Deps, principal: Principal, email: string, domain?: string): Promise<number> {
  const removed = await deleteSuppressions(deps.db, { ...(await scopeOf(deps, principal)), address: email.toLowerCase(), domain: domain?.toLowerCase() });
  if (removed === 0) throw new AppError('suppression_not_found', `${email} is not suppressed.`, 'email');
  return removed;
}
