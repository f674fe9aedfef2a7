/** Engagement writes on `emails` and `email_recipients`: opens, clicks, replies, reads. */
import { and, eq, exists, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from './client';
import { addresses } from './schema';
import { emailEvents, emailRecipients, emails } from './schema-sending';
import type { NewEvent } from './emails';

const emailFacts = {
  id: emails.id,
  publicId: emails.publicId,
  messageId: emails.messageId,
  subject: emails.subject,
  toJson: emails.toJson,
  ccJson: emails.ccJson,
  tagsJson: emails.tagsJson,
  createdAt: emails.createdAt,
};

/** A tracked recipient by its random track id, with the facts of its email and the sender's address. */
export async function findTracked(db: Db, trackId: string) {
  return (
    (await db
      .select({
        recipient: { id: emailRecipients.id, address: emailRecipients.address, status: emailRecipients.status, via: emailRecipients.via, updatedAt: emailRecipients.updatedAt },
        email: emailFacts,
        from: addresses.address,
      })
      .from(emailRecipients)
      .innerJoin(emails, eq(emails.id, emailRecipients.emailId))
      .innerJoin(addresses, eq(addresses.id, emails.addressId))
      .where(eq(emailRecipients.trackId, trackId))
      .get()) ?? null
  );
}

export type TrackedRecipient = NonNullable<Awaited<ReturnType<typeof findTracked>>>;

/**
 * Counts an open or click for a recipient and its email, setting the first-time columns once.
 * Returns whether this was the recipient's first of its kind.
 */
export async function countEngagement(db: Db, kind: 'open' | 'click', recipientId: number, emailId: number, now: number, event?: NewEvent): Promise<boolean> {
  const [rFirst, rCount, eFirst, eCount] =
    kind === 'open'
      ? [emailRecipients.firstOpenedAt, emailRecipients.openCount, emails.firstOpenedAt, emails.openCount]
      : [emailRecipients.firstClickedAt, emailRecipients.clickCount, emails.firstClickedAt, emails.clickCount];
  const [first] = await db.batch([
    db
      .update(emailRecipients)
      .set({ [kind === 'open' ? 'firstOpenedAt' : 'firstClickedAt']: now })
      .where(and(eq(emailRecipients.id, recipientId), isNull(rFirst)))
      .returning({ id: emailRecipients.id }),
    db
      .update(emailRecipients)
      .set({ [kind === 'open' ? 'openCount' : 'clickCount']: sql`${rCount} + 1` })
      .where(eq(emailRecipients.id, recipientId)),
    db
      .update(emails)
      .set({ [kind === 'open' ? 'openCount' : 'clickCount']: sql`${eCount} + 1`, [kind === 'open' ? 'firstOpenedAt' : 'firstClickedAt']: sql`coalesce(${eFirst}, ${now})` })
      .where(eq(emails.id, emailId)),
  ]);
  return first.length > 0;
}

export async function addEvent(db: Db, emailId: number, event: NewEvent): Promise<void> {
  await db.insert(emailEvents).values({ ...event, emailId });
}

/** Emails with one of these Message-IDs, with their sender's address. */
export async function emailsByMessageIds(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .select({ ...emailFacts, from: addresses.address })
    .from(emails)
    .innerJoin(addresses, eq(addresses.id, emails.addressId))
    .where(inArray(emails.messageId, messageIds));
}

export async function markReplied(db: Db, emailId: number, now: number, event: NewEvent): Promise<void> {
  await db.batch([
    db.update(emails).set({ firstRepliedAt: sql`coalesce(${emails.firstRepliedAt}, ${now})` }).where(eq(emails.id, emailId)),
    db.insert(emailEvents).values({ ...event, emailId }),
  ]);
}

/**
 * Sets read_at (once) on the email with this Message-ID that was sent to `recipient`; returns its id
 * when this was the first read.
 */
export async function markRead(db: Db, messageId: string, recipient: string, now: number): Promise<number | null> {
  const rows = await db
    .update(emails)
    .set({ readAt: now })
    .where(
      and(
        eq(emails.messageId, messageId),
        isNull(emails.readAt),
        ne(emails.status, 'cancelled'),
        exists(db.select({ one: sql`1` }).from(emailRecipients).where(and(eq(emailRecipients.emailId, emails.id), eq(emailRecipients.address, recipient)))),
      ),
    )
    .returning({ id: emails.id });
  return rows[0]?.id ?? null;
}
