/**
 * Self-signup in one D1 batch (a transaction): the pending domain, the user, their mailbox, its
 * ownership, `manage_domains` on the domain and the first session all exist, or none does.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { addresses } from './schema';
import { domains, mailboxOwners, permissions, sessions, signupAttempts, users } from './schema-accounts';

export interface SignupRows {
  domain: string;
  email: string;
  name: string;
  passwordHash: string;
  sendBalance: number;
  session: { publicId: string; tokenHash: string; expiresAt: number };
  now: number;
}

export async function insertSignup(db: Db, v: SignupRows): Promise<void> {
  const userId = sql`(SELECT id FROM users WHERE email = ${v.email})`;
  const domainId = sql`(SELECT id FROM domains WHERE name = ${v.domain})`;
  await db.batch([
    db.insert(users).values({ email: v.email, name: v.name, passwordHash: v.passwordHash, createdAt: v.now }),
    db.insert(domains).values({ name: v.domain, status: 'pending', open: false, createdAt: v.now, createdBy: userId }),
    db.insert(addresses).values({ address: v.email, createdAt: v.now, lastActiveAt: v.now, sendBalance: v.sendBalance }),
    db.insert(mailboxOwners).values({ addressId: sql`(SELECT id FROM addresses WHERE address = ${v.email})`, userId }),
    db.insert(permissions).values({ userId, domainId, permission: 'manage_domains', createdAt: v.now }),
    db.insert(sessions).values({ publicId: v.session.publicId, userId, tokenHash: v.session.tokenHash, createdAt: v.now, expiresAt: v.session.expiresAt }),
  ]);
}

/**
 * Records one attempt and returns how many there were (this one included) since `since`. Attempts
 * older than the window are dropped on the way, so the table never holds more than an hour's worth.
 */
export async function recordSignupAttempt(db: Db, domain: string, now: number, since: number): Promise<{ count: number; oldest: number }> {
  const [, , counted] = await db.batch([
    db.delete(signupAttempts).where(sql`${signupAttempts.createdAt} <= ${since}`),
    db.insert(signupAttempts).values({ domain, createdAt: now }),
    db
      .select({ n: sql<number>`count(*)`, oldest: sql<number>`min(${signupAttempts.createdAt})` })
      .from(signupAttempts)
      .where(and(eq(signupAttempts.domain, domain), gt(signupAttempts.createdAt, since))),
  ]);
  return { count: counted[0]?.n ?? 1, oldest: counted[0]?.oldest ?? now };
}
