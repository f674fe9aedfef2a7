/** Queries on `permissions`. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from './client';
import { domains, permissions, users, type Permission } from './schema-accounts';

/** Inserts what is missing; returns the permissions that were new. */
export async function insertPermissions(db: Db, userId: number, domainId: number, wanted: Permission[], now: number): Promise<Permission[]> {
  if (wanted.length === 0) return [];
  const rows = await db
    .insert(permissions)
    .values(wanted.map((permission) => ({ userId, domainId, permission, createdAt: now })))
    .onConflictDoNothing()
    .returning({ permission: permissions.permission });
  return rows.map((r) => r.permission);
}

export async function deletePermissions(db: Db, userId: number, domainId: number, which: Permission[]): Promise<Permission[]> {
  if (which.length === 0) return [];
  const rows = await db
    .delete(permissions)
    .where(and(eq(permissions.userId, userId), eq(permissions.domainId, domainId), inArray(permissions.permission, which)))
    .returning({ permission: permissions.permission });
  return rows.map((r) => r.permission);
}

export async function hasPermissionRow(db: Db, userId: number, domain: string, permission: Permission): Promise<boolean> {
  const row = await db
    .select({ p: permissions.permission })
    .from(permissions)
    .innerJoin(domains, eq(domains.id, permissions.domainId))
    .where(and(eq(permissions.userId, userId), eq(domains.name, domain), eq(permissions.permission, permission)))
    .get();
  return row !== undefined;
}

/** Every grant, as (email, domain, permission), optionally for one user. */
export async function listGrants(db: Db, userId?: number): Promise<{ email: string; domain: string; permission: Permission }[]> {
  return db
    .select({ email: users.email, domain: domains.name, permission: permissions.permission })
    .from(permissions)
    .innerJoin(users, eq(users.id, permissions.userId))
    .innerJoin(domains, eq(domains.id, permissions.domainId))
    .where(userId === undefined ? undefined : eq(permissions.userId, userId))
    .orderBy(asc(users.email), asc(domains.name), asc(permissions.permission));
}
