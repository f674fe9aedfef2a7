/** Queries on `domains`. */
import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { domains, users, type DomainRow } from './schema-accounts';

export async function listDomainRows(db: Db): Promise<DomainRow[]> {
  return db.select().from(domains).orderBy(asc(domains.name));
}

export async function findDomainByName(db: Db, name: string): Promise<DomainRow | null> {
  return (await db.select().from(domains).where(eq(domains.name, name)).get()) ?? null;
}

/**
 * Inserts the DOMAINS seeds as active, open domains. The operator's list wins over a pending signup
 * for the same name: such a row is activated and opened, keeping its DKIM key if it has one.
 */
export async function insertSeedDomains(db: Db, names: string[], now: number): Promise<void> {
  // D1 binds at most 100 parameters per statement: a row binds 5, the conflict clause a few more.
  const [first, ...rest] = chunksOf(names, SEED_ROWS_PER_INSERT).map((chunk) =>
    db
      .insert(domains)
      .values(chunk.map((name) => ({ name, status: 'active' as const, open: true, createdAt: now, approvedAt: now })))
      .onConflictDoUpdate({ target: domains.name, set: { status: 'active', open: true, approvedAt: sql`coalesce(${domains.approvedAt}, ${now})` } }),
  );
  if (first) await db.batch([first, ...rest]);
}

const SEED_ROWS_PER_INSERT = 15;

/** Closes domains to new temporary addresses (they left DOMAINS); their addresses and mail stay. */
export async function closeDomains(db: Db, names: string[]): Promise<void> {
  const [first, ...rest] = chunksOf(names, 90).map((chunk) => db.update(domains).set({ open: false }).where(inArray(domains.name, chunk)));
  if (first) await db.batch([first, ...rest]);
}

export async function insertDomain(db: Db, values: { name: string; status: 'pending' | 'active'; createdBy: number | null; now: number }): Promise<DomainRow | null> {
  const rows = await db
    .insert(domains)
    .values({ name: values.name, status: values.status, createdBy: values.createdBy, createdAt: values.now, approvedAt: values.status === 'active' ? values.now : null })
    .onConflictDoNothing({ target: domains.name })
    .returning();
  return rows[0] ?? null;
}

/** Pending domains, oldest first, with the email of whoever signed up for them. */
export async function listPendingDomainRows(db: Db): Promise<(DomainRow & { creatorEmail: string | null })[]> {
  return db
    .select({ ...getTableColumns(domains), creatorEmail: users.email })
    .from(domains)
    .leftJoin(users, eq(users.id, domains.createdBy))
    .where(eq(domains.status, 'pending'))
    .orderBy(asc(domains.createdAt), asc(domains.id));
}

/** Activates a domain with its DKIM key; false when the domain does not exist. */
export async function activateDomain(
  db: Db,
  name: string,
  values: { now: number; dkimSelector: string; dkimPublicKey: string; dkimPrivateKey: string },
): Promise<DomainRow | null> {
  const rows = await db
    .update(domains)
    .set({ status: 'active', approvedAt: values.now, dkimSelector: values.dkimSelector, dkimPublicKey: values.dkimPublicKey, dkimPrivateKey: values.dkimPrivateKey })
    .where(eq(domains.name, name))
    .returning();
  return rows[0] ?? null;
}

export async function recordDnsCheck(db: Db, id: number, values: { report: string; now: number; verified: boolean }): Promise<void> {
  await db
    .update(domains)
    .set({ dnsReportJson: values.report, dnsCheckedAt: values.now, dnsVerifiedAt: values.verified ? values.now : sql`${domains.dnsVerifiedAt}` })
    .where(eq(domains.id, id));
}
