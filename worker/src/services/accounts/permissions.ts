/**
 * Per-user, per-domain rights: manage_users, manage_domains, view_mailbox, view_stats, send_mail.
 * Granting is idempotent and reports what was new and what the user already had.
 */
import { deletePermissions, hasPermissionRow, insertPermissions, listGrants } from '../../db/permissions';
import { PERMISSIONS, type Permission } from '../../db/schema-accounts';
import type { Deps } from '../deps';
import { getDomain } from '../domains/registry';
import { getUserByEmail } from './users';

export { PERMISSIONS, type Permission };

export interface BulkGrantResult {
  granted: Permission[];
  skipped: Permission[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The sentence every door answers a bulk grant with: "Granted 4 permissions, skipped 1 already existing". */
export function describeGrant(result: BulkGrantResult): string {
  return `Granted ${plural(result.granted.length, 'permission')}, skipped ${result.skipped.length} already existing`;
}

/** Grants each permission the user lacks on the domain (order kept, duplicates ignored). */
export async function grantPermissions(deps: Deps, input: { email: string; domain: string; permissions: Permission[] }): Promise<BulkGrantResult> {
  const user = await getUserByEmail(deps, input.email);
  const domain = await getDomain(deps, input.domain);
  const wanted = [...new Set(input.permissions)];
  const inserted = new Set(await insertPermissions(deps.db, user.id, domain.id, wanted, deps.clock.now()));
  return { granted: wanted.filter((p) => inserted.has(p)), skipped: wanted.filter((p) => !inserted.has(p)) };
}

export async function revokePermissions(deps: Deps, input: { email: string; domain: string; permissions: Permission[] }): Promise<Permission[]> {
  const user = await getUserByEmail(deps, input.email);
  const domain = await getDomain(deps, input.domain);
  return deletePermissions(deps.db, user.id, domain.id, [...new Set(input.permissions)]);
}

export function hasPermission(deps: Deps, userId: number, domain: string, permission: Permission): Promise<boolean> {
  return hasPermissionRow(deps.db, userId, domain.toLowerCase(), permission);
}

/** Grants grouped by user and domain: `[{ email, domain, permissions }]`. */
export async function listPermissions(deps: Deps, userId?: number) {
  const grouped = new Map<string, { email: string; domain: string; permissions: Permission[] }>();
  for (const g of await listGrants(deps.db, userId)) {
    const key = `${g.email}\n${g.domain}`;
    const entry = grouped.get(key) ?? { email: g.email, domain: g.domain, permissions: [] };
    entry.permissions.push(g.permission);
    grouped.set(key, entry);
  }
  return [...grouped.values()];
}
