/** Queries on `users` and `mailbox_owners`. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { endsWithText } from './contains';
import { addresses, type AddressRow } from './schema';
import { mailboxOwners, users, type UserRow } from './schema-accounts';

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  return (await db.select().from(users).where(eq(users.email, email)).get()) ?? null;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | null> {
  return (await db.select().from(users).where(eq(users.id, id)).get()) ?? null;
}

export async function insertUser(db: Db, values: { email: string; name: string; passwordHash: string; now: number }): Promise<UserRow | null> {
  const rows = await db
    .insert(users)
    .values({ email: values.email, name: values.name, passwordHash: values.passwordHash, createdAt: values.now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return rows[0] ?? null;
}

export async function listUserRows(db: Db, opts: { domain?: string; limit: number; offset: number }): Promise<{ rows: UserRow[]; total: number }> {
  const where = opts.domain ? endsWithText(users.email, `@${opts.domain}`) : undefined;
  const [rows, total] = await Promise.all([
    db.select().from(users).where(where).orderBy(asc(users.email)).limit(opts.limit).offset(opts.offset),
    db.select({ n: sql<number>`count(*)` }).from(users).where(where).get(),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function deleteUserRow(db: Db, id: number): Promise<boolean> {
  return (await db.delete(users).where(eq(users.id, id)).returning({ id: users.id })).length > 0;
}

/** Makes `userId` the owner of the address; an address already owned by someone else is left alone. */
export async function insertOwner(db: Db, addressId: number, userId: number): Promise<boolean> {
  const rows = await db.insert(mailboxOwners).values({ addressId, userId }).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function ownedAddresses(db: Db, userId: number): Promise<AddressRow[]> {
  return db
    .select({ address: addresses })
    .from(mailboxOwners)
    .innerJoin(addresses, eq(addresses.id, mailboxOwners.addressId))
    .where(eq(mailboxOwners.userId, userId))
    .orderBy(asc(addresses.address))
    .then((rows) => rows.map((r) => r.address));
}

export async function ownsAddress(db: Db, userId: number, address: string): Promise<boolean> {
  const row = await db
    .select({ id: addresses.id })
    .from(mailboxOwners)
    .innerJoin(addresses, eq(addresses.id, mailboxOwners.addressId))
    .where(and(eq(mailboxOwners.userId, userId), eq(addresses.address, address)))
    .get();
  return row !== undefined;
}
