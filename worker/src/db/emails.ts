/** Queries on `emails` (the outbound record): insert, claim for dispatch, state transitions, listing. */
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, min, or, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { eventInserts } from './email-recipients';
import type { WebhookRow } from './schema-webhooks';
import { enabledWebhooksQuery } from './webhooks';
import { emailEvents, emailRecipients, emails, type EmailRow, type EmailStatus, type NewEmail } from './schema-sending';

export type NewRecipient = Omit<typeof emailRecipients.$inferInsert, 'id' | 'emailId'>;
export type NewEvent = Omit<typeof emailEvents.$inferInsert, 'id' | 'emailId'>;

export interface EmailInsert {
  email: NewEmail & { publicId: string };
  recipients: NewRecipient[];
  events: NewEvent[];
}

const emailIdOf = (publicId: string) => sql<number>`(select ${emails.id} from ${emails} where ${emails.publicId} = ${publicId})`;

// D1 binds at most 100 parameters per statement.
const RECIPIENT_ROWS_PER_INSERT = 9;

/**
 * Stores emails with their recipients and first events (and `also`) in one D1 batch: all of it or
 * none. With `readWebhooks`, the same batch reads the enabled webhook endpoints (for the events the
 * caller raises next) and returns them; otherwise it returns undefined.
 */
export async function insertEmails(db: Db, items: EmailInsert[], also: BatchItem<'sqlite'>[] = [], readWebhooks = false): Promise<WebhookRow[] | undefined> {
  const statements: BatchItem<'sqlite'>[] = [...also];
  for (const item of items) {
    statements.push(db.insert(emails).values(item.email));
    const emailId = emailIdOf(item.email.publicId);
    const recipients = item.recipients.map((r) => ({ ...r, emailId }));
    for (const chunk of chunksOf(recipients, RECIPIENT_ROWS_PER_INSERT)) statements.push(db.insert(emailRecipients).values(chunk));
    statements.push(...eventInserts(db, item.events.map((e) => ({ ...e, emailId }))));
  }
  const [first, ...rest] = statements;
  if (!first) return undefined;
  if (!readWebhooks) {
    await db.batch([first, ...rest]);
    return undefined;
  }
  const results = await db.batch([first, ...rest, enabledWebhooksQuery(db)]);
  return results.at(-1) as WebhookRow[];
}

export async function findEmail(db: Db, publicId: string, addressId?: number): Promise<EmailRow | null> {
  const scope = addressId === undefined ? undefined : eq(emails.addressId, addressId);
  return (await db.select().from(emails).where(and(eq(emails.publicId, publicId), scope)).get()) ?? null;
}

export async function findEmailById(db: Db, id: number, addressId?: number): Promise<EmailRow | null> {
  const scope = addressId === undefined ? undefined : eq(emails.addressId, addressId);
  return (await db.select().from(emails).where(and(eq(emails.id, id), scope)).get()) ?? null;
}

/**
 * Takes messages for one dispatch attempt each: only queued or in-progress messages that no other
 * consumer holds. Counts the attempt. Returns the ones that are ours to send right now.
 */
export async function claimEmails(db: Db, publicIds: string[], now: number, leaseMs: number): Promise<EmailRow[]> {
  if (publicIds.length === 0) return [];
  return db
    .update(emails)
    .set({ status: 'sending', lockedUntil: now + leaseMs, attempts: sql`${emails.attempts} + 1`, updatedAt: now })
    .where(
      and(
        inArray(emails.publicId, publicIds),
        inArray(emails.status, ['queued', 'sending']),
        or(isNull(emails.lockedUntil), lt(emails.lockedUntil, now)),
      ),
    )
    .returning();
}

export async function findEmails(db: Db, publicIds: string[]): Promise<EmailRow[]> {
  if (publicIds.length === 0) return [];
  return db.select().from(emails).where(inArray(emails.publicId, publicIds));
}

export function updateEmailStatement(db: Db, id: number, patch: Partial<NewEmail>) {
  return db.update(emails).set(patch).where(eq(emails.id, id));
}

export async function updateEmail(db: Db, id: number, patch: Partial<NewEmail>): Promise<void> {
  await updateEmailStatement(db, id, patch);
}

/**
 * Moves a message from one of `from` to a new state, unless a consumer holds it. Returns the
 * updated row, or null when the message is in another state (or being dispatched right now).
 */
export async function transitionEmail(
  db: Db,
  id: number,
  from: EmailStatus[],
  patch: Partial<NewEmail>,
  now: number,
): Promise<EmailRow | null> {
  const rows = await db
    .update(emails)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(emails.id, id), inArray(emails.status, from), or(isNull(emails.lockedUntil), lt(emails.lockedUntil, now))))
    .returning();
  return rows[0] ?? null;
}

/** Scheduled messages that are due, oldest first. */
export async function dueScheduled(db: Db, now: number, limit: number): Promise<{ id: number; publicId: string }[]> {
  return db
    .select({ id: emails.id, publicId: emails.publicId })
    .from(emails)
    .where(and(eq(emails.status, 'scheduled'), lte(emails.scheduledAt, now)))
    .orderBy(emails.scheduledAt)
    .limit(limit);
}

/**
 * Messages that would otherwise wait for ever: queued ones whose hand-over to the queue failed or is
 * long overdue, and ones whose dispatch died holding them (the claim lapsed without being released).
 */
export async function strandedEmails(db: Db, enqueuedBefore: number, now: number, limit: number): Promise<{ id: number; publicId: string }[]> {
  return db
    .select({ id: emails.id, publicId: emails.publicId })
    .from(emails)
    .where(
      or(
        and(eq(emails.status, 'queued'), or(isNull(emails.enqueuedAt), lt(emails.enqueuedAt, enqueuedBefore)), or(isNull(emails.lockedUntil), lt(emails.lockedUntil, now))),
        and(eq(emails.status, 'sending'), lt(emails.lockedUntil, now)),
      ),
    )
    .limit(limit);
}

/** Marks scheduled messages queued (only those still scheduled); returns the ones it moved. */
export async function releaseScheduled(db: Db, ids: number[], now: number): Promise<{ id: number; publicId: string }[]> {
  if (ids.length === 0) return [];
  return db
    .update(emails)
    .set({ status: 'queued', enqueuedAt: now, updatedAt: now })
    .where(and(inArray(emails.id, ids), eq(emails.status, 'scheduled')))
    .returning({ id: emails.id, publicId: emails.publicId });
}

export async function setEnqueuedAt(db: Db, publicIds: string[], at: number | null): Promise<void> {
  if (publicIds.length) await db.update(emails).set({ enqueuedAt: at }).where(inArray(emails.publicId, publicIds));
}

export async function nextScheduledAt(db: Db): Promise<number | null> {
  const row = await db.select({ at: min(emails.scheduledAt) }).from(emails).where(eq(emails.status, 'scheduled')).get();
  return row?.at ?? null;
}

/** Messages this address sent since `since`, and the oldest of them: the per-address send rate. */
export async function sentSince(db: Db, addressId: number, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .select({ count: sql<number>`count(*)`, oldest: sql<number | null>`min(${emails.createdAt})` })
    .from(emails)
    .where(and(eq(emails.addressId, addressId), gt(emails.createdAt, since)))
    .get();
  return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
}

export interface EmailFilter {
  addressId?: number;
  /** Limits the listing to these senders (an empty list matches nothing). */
  addressIds?: number[];
  status?: EmailStatus;
  tag?: string;
  createdAfter?: number;
  createdBefore?: number;
}

function where(filter: EmailFilter): SQL | undefined {
  return and(
    filter.addressId === undefined ? undefined : eq(emails.addressId, filter.addressId),
    filter.addressIds === undefined ? undefined : filter.addressIds.length ? inArray(emails.addressId, filter.addressIds) : sql`0`,
    filter.status ? eq(emails.status, filter.status) : undefined,
    filter.tag ? sql`exists (select 1 from json_each(${emails.tagsJson}) where value = ${filter.tag})` : undefined,
    filter.createdAfter === undefined ? undefined : gt(emails.createdAt, filter.createdAfter),
    filter.createdBefore === undefined ? undefined : lt(emails.createdAt, filter.createdBefore),
  );
}

/** The columns a listing needs: never the payload or raw bytes. */
const listColumns = {
  id: emails.id,
  publicId: emails.publicId,
  addressId: emails.addressId,
  messageId: emails.messageId,
  fromName: emails.fromName,
  subject: emails.subject,
  toJson: emails.toJson,
  ccJson: emails.ccJson,
  bccJson: emails.bccJson,
  tagsJson: emails.tagsJson,
  attachmentsJson: emails.attachmentsJson,
  status: emails.status,
  rawSize: emails.rawSize,
  attempts: emails.attempts,
  lastError: emails.lastError,
  scheduledAt: emails.scheduledAt,
  sentAt: emails.sentAt,
  deliveredAt: emails.deliveredAt,
  trackOpens: emails.trackOpens,
  trackClicks: emails.trackClicks,
  firstOpenedAt: emails.firstOpenedAt,
  firstClickedAt: emails.firstClickedAt,
  firstRepliedAt: emails.firstRepliedAt,
  readAt: emails.readAt,
  openCount: emails.openCount,
  clickCount: emails.clickCount,
  createdAt: emails.createdAt,
};
export type EmailSummaryRow = Pick<EmailRow, keyof typeof listColumns>;

/**
 * Newest first; `beforeId` continues after the last row of the previous page. With `afterId`, the
 * rows just newer than it (the page before), still newest first.
 */
export async function listEmails(db: Db, filter: EmailFilter, limit: number, opts: { beforeId?: number; afterId?: number; offset?: number } = {}) {
  if (opts.afterId !== undefined) {
    const rows = await db
      .select(listColumns)
      .from(emails)
      .where(and(where(filter), gt(emails.id, opts.afterId)))
      .orderBy(asc(emails.id))
      .limit(limit);
    return rows.reverse();
  }
  return db
    .select(listColumns)
    .from(emails)
    .where(and(where(filter), opts.beforeId === undefined ? undefined : lt(emails.id, opts.beforeId)))
    .orderBy(desc(emails.id))
    .limit(limit)
    .offset(opts.offset ?? 0);
}

export async function countEmails(db: Db, filter: EmailFilter): Promise<number> {
  return (await db.select({ n: sql<number>`count(*)` }).from(emails).where(where(filter)).get())?.n ?? 0;
}

export async function findEmailSummary(db: Db, publicId: string, addressId?: number): Promise<EmailSummaryRow | null> {
  const scope = addressId === undefined ? undefined : eq(emails.addressId, addressId);
  return (await db.select(listColumns).from(emails).where(and(eq(emails.publicId, publicId), scope)).get()) ?? null;
}

export async function findEmailSummaryById(db: Db, id: number, addressId: number): Promise<EmailSummaryRow | null> {
  return (await db.select(listColumns).from(emails).where(and(eq(emails.id, id), eq(emails.addressId, addressId))).get()) ?? null;
}
