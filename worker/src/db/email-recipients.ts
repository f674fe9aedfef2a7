/** Queries on `email_recipients` and `email_events`: each recipient's outcome and the timeline. */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { emailEvents, emailRecipients, type EmailEventRow, type EmailRecipientRow, type RecipientStatus } from './schema-sending';
import type { NewEvent } from './emails';

export async function recipientsOf(db: Db, emailIds: number[]): Promise<EmailRecipientRow[]> {
  if (emailIds.length === 0) return [];
  return db.select().from(emailRecipients).where(inArray(emailRecipients.emailId, emailIds)).orderBy(asc(emailRecipients.id));
}

// D1 binds at most 100 parameters per statement, and an event row binds 5.
const EVENT_ROWS_PER_INSERT = 20;

/** Inserts of `rows` into `email_events`, in statements of at most 100 parameters. */
export function eventInserts(db: Db, rows: NewEmailEvent[]) {
  return chunksOf(rows, EVENT_ROWS_PER_INSERT).map((chunk) => db.insert(emailEvents).values(chunk));
}

// The email may be named by a subquery when it is inserted in the same batch (db/emails.ts).
type NewEmailEvent = Omit<typeof emailEvents.$inferInsert, 'emailId'> & { emailId: number | SQL<number> };

export type RecipientPatch = Partial<Pick<EmailRecipientRow, 'status' | 'via' | 'smtpCode' | 'dsnCode' | 'smtpResponse' | 'providerId'>> & {
  updatedAt: number;
};

/** The statements that write each recipient's new state and the events they produced. */
export function outcomeStatements(db: Db, emailId: number, updates: { id: number; patch: RecipientPatch }[], events: NewEvent[]) {
  return [
    ...updates.map((u) => db.update(emailRecipients).set(u.patch).where(eq(emailRecipients.id, u.id))),
    ...eventInserts(db, events.map((e) => ({ ...e, emailId }))),
  ];
}

/** Writes each recipient's new state and the events they produced, in one D1 batch. */
export async function recordOutcomes(db: Db, emailId: number, updates: { id: number; patch: RecipientPatch }[], events: NewEvent[]): Promise<void> {
  const [first, ...rest] = outcomeStatements(db, emailId, updates, events);
  if (first) await db.batch([first, ...rest]);
}

export async function setRecipientsStatus(db: Db, emailId: number, from: RecipientStatus[], to: RecipientStatus, now: number): Promise<void> {
  await db
    .update(emailRecipients)
    .set({ status: to, updatedAt: now })
    .where(and(eq(emailRecipients.emailId, emailId), inArray(emailRecipients.status, from)));
}

export async function addEvents(db: Db, emailId: number, events: NewEvent[]): Promise<void> {
  const [first, ...rest] = eventInserts(db, events.map((e) => ({ ...e, emailId })));
  if (first) await db.batch([first, ...rest]);
}

export async function eventsOf(db: Db, emailId: number): Promise<EmailEventRow[]> {
  return db.select().from(emailEvents).where(eq(emailEvents.emailId, emailId)).orderBy(asc(emailEvents.id));
}
