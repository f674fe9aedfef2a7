/** Queries on `domains`. */
import { and, asc, eq, getTableColumns, inArray, not, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { endsWithText } from './contains';
import { addresses } from './schema';
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

export interface DomainRemoval {
  /** False when something stopped it (see the counts): nothing was deleted then. */
  removed: boolean;
  /** The addresses deleted with it (none of them held mail). */
  addresses: { id: number; address: string }[];
  /** Accounts deleted with it: those whose login email is on it and that own no other mailbox. */
  users: number;
  /** Addresses on it that hold mail (what stops the removal). */
  addressesWithMail: number;
  /** Addresses on it still there: all of them when it was refused. */
  addressesLeft: number;
}

/**
 * Deletes a domain with its addresses and the accounts whose login is on it, in one transaction,
 * only if no address on it holds mail and it has at most `maxAddresses` of them: a refusal changes
 * nothing, and mail arriving meanwhile is never deleted with it. An account that owns a mailbox on
 * another domain is kept (its mail would otherwise lose its owner). Permissions on the domain, and
 * the deleted addresses' owners, keys and counters, go by ON DELETE CASCADE.
 */
export async function deleteDomainWithoutMail(db: Db, name: string, maxAddresses: number): Promise<DomainRemoval> {
  const suffix = `@${name}`;
  const onDomain = (column: SQLWrapper) => endsWithText(column, suffix);
  const onDomainCount = sql`(SELECT count(*) FROM addresses AS counted WHERE ${onDomain(sql`counted.address`)})`;
  const holdsMail = sql`EXISTS (SELECT 1 FROM addresses AS held JOIN mails ON mails.address_id = held.id WHERE ${onDomain(sql`held.address`)})`;
  const hasAddresses = sql`EXISTS (SELECT 1 FROM addresses AS left_over WHERE ${onDomain(sql`left_over.address`)})`;
  const ownsMailbox = sql`EXISTS (SELECT 1 FROM mailbox_owners WHERE mailbox_owners.user_id = ${users.id})`;
  const [deletedAddresses, deletedUsers, deletedDomain, withMail, left] = await db.batch([
    db
      .delete(addresses)
      .where(and(onDomain(addresses.address), not(holdsMail), sql`${onDomainCount} <= ${maxAddresses}`))
      .returning({ id: addresses.id, address: addresses.address }),
    // After the addresses on the domain are gone, a mailbox still owned is one elsewhere.
    db.delete(users).where(and(onDomain(users.email), not(hasAddresses), not(ownsMailbox))).returning({ id: users.id }),
    db.delete(domains).where(and(eq(domains.name, name), not(hasAddresses))).returning({ id: domains.id }),
    db
      .select({ n: sql<number>`count(*)` })
      .from(addresses)
      .where(and(onDomain(addresses.address), sql`EXISTS (SELECT 1 FROM mails WHERE mails.address_id = ${addresses.id})`)),
    db.select({ n: sql<number>`count(*)` }).from(addresses).where(onDomain(addresses.address)),
  ]);
  return {
    removed: deletedDomain.length > 0,
    addresses: deletedAddresses,
    users: deletedUsers.length,
    addressesWithMail: withMail[0]?.n ?? 0,
    addressesLeft: left[0]?.n ?? 0,
  };
}
