/** Queries on `webhooks`, `webhook_deliveries` and `webhook_attempts`. */
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { allOf, perDatabase, type PreparedRead } from './prepared';
import { webhookAttempts, webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from './schema-webhooks';

export type NewWebhook = typeof webhooks.$inferInsert;
export type NewDelivery = typeof webhookDeliveries.$inferInsert;
export type NewAttempt = typeof webhookAttempts.$inferInsert;

export async function insertWebhook(db: Db, row: NewWebhook): Promise<WebhookRow> {
  return (await db.insert(webhooks).values(row).returning())[0]!;
}

export async function findWebhook(db: Db, publicId: string): Promise<WebhookRow | null> {
  return (await db.select().from(webhooks).where(eq(webhooks.publicId, publicId)).get()) ?? null;
}

export async function findWebhookById(db: Db, id: number): Promise<WebhookRow | null> {
  return (await db.select().from(webhooks).where(eq(webhooks.id, id)).get()) ?? null;
}

export async function allWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhooks).orderBy(desc(webhooks.id));
}

/** Enabled endpoints as a drizzle query, for a caller's own `db.batch` (see enabledWebhooks). */
export const enabledWebhooksQuery = (db: Db) => db.select().from(webhooks).where(eq(webhooks.enabled, true));
const enabled = perDatabase((db) => enabledWebhooksQuery(db).prepare());

/** Endpoints that may receive something: the emitter reads this once per set of events. */
export async function enabledWebhooks(db: Db): Promise<WebhookRow[]> {
  return enabled(db).all();
}

/** The same read, to run inside another batch (a delivered message's, so receiving costs no extra round trip). */
export const enabledWebhooksRead = (db: Db): PreparedRead<WebhookRow[]> => allOf(enabled(db), {});

export async function updateWebhook(db: Db, id: number, patch: Partial<NewWebhook>): Promise<WebhookRow | null> {
  return (await db.update(webhooks).set(patch).where(eq(webhooks.id, id)).returning())[0] ?? null;
}

export async function deleteWebhook(db: Db, id: number): Promise<void> {
  await db.delete(webhooks).where(eq(webhooks.id, id));
}

// D1 binds at most 100 parameters per statement; a delivery row binds 10.
const DELIVERY_ROWS_PER_INSERT = 9;

export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<void> {
  const [first, ...rest] = chunksOf(rows, DELIVERY_ROWS_PER_INSERT).map((chunk) => db.insert(webhookDeliveries).values(chunk));
  if (first) await db.batch([first, ...rest]);
}

export async function findDelivery(db: Db, webhookId: number, publicId: string): Promise<WebhookDeliveryRow | null> {
  return (await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.publicId, publicId))).get()) ?? null;
}

// D1 binds at most 100 parameters per statement.
const IDS_PER_STATEMENT = 90;

/** claimDelivery for many at once: the ones that are ours to post now. */
export async function claimDeliveries(db: Db, publicIds: string[], now: number, leaseMs: number): Promise<WebhookDeliveryRow[]> {
  const out: WebhookDeliveryRow[] = [];
  for (let i = 0; i < publicIds.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .update(webhookDeliveries)
      .set({ lockedUntil: now + leaseMs, attempts: sql`${webhookDeliveries.attempts} + 1`, updatedAt: now })
      .where(
        and(
          inArray(webhookDeliveries.publicId, publicIds.slice(i, i + IDS_PER_STATEMENT)),
          eq(webhookDeliveries.status, 'pending'),
          or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, now)),
        ),
      )
      .returning();
    out.push(...rows);
  }
  return out;
}

export async function findDeliveriesByPublicIds(db: Db, publicIds: string[]): Promise<WebhookDeliveryRow[]> {
  const out: WebhookDeliveryRow[] = [];
  for (let i = 0; i < publicIds.length; i += IDS_PER_STATEMENT) {
    out.push(...(await db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.publicId, publicIds.slice(i, i + IDS_PER_STATEMENT)))));
  }
  return out;
}

export async function findWebhooksByIds(db: Db, ids: number[]): Promise<WebhookRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(webhooks).where(inArray(webhooks.id, ids));
}

/** The statements that record one attempt and the delivery's new state. */
export function attemptStatements(db: Db, deliveryId: number, attempt: NewAttempt, patch: Partial<NewDelivery>) {
  return [db.insert(webhookAttempts).values(attempt), db.update(webhookDeliveries).set(patch).where(eq(webhookDeliveries.id, deliveryId))] as const;
}

export function webhookStatement(db: Db, id: number, patch: Partial<NewWebhook>) {
  return db.update(webhooks).set(patch).where(eq(webhooks.id, id));
}

/** Newest first, with their attempts. */
export async function listDeliveries(db: Db, webhookId: number, limit: number, beforeId?: number) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), beforeId === undefined ? undefined : lt(webhookDeliveries.id, beforeId)))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  const attempts = rows.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.id))).orderBy(webhookAttempts.id)
    : [];
  return rows.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id) }));
}

export async function attemptsOf(db: Db, deliveryId: number) {
  return db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(webhookAttempts.id);
}

/** Pending deliveries whose next attempt is long overdue (their queue message was lost): the sweep re-enqueues them. */
export async function overdueDeliveries(db: Db, dueBefore: number, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ publicId: webhookDeliveries.publicId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lt(webhookDeliveries.nextAttemptAt, dueBefore),
        or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, now)),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.publicId);
}

export async function touchDeliveries(db: Db, publicIds: string[], nextAttemptAt: number): Promise<void> {
  if (publicIds.length) await db.update(webhookDeliveries).set({ nextAttemptAt }).where(inArray(webhookDeliveries.publicId, publicIds));
}

/** Settles every pending delivery of an endpoint (it was disabled or deleted). */
export function failPendingStatement(db: Db, webhookId: number, reason: string, now: number) {
  return db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: reason, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')));
}
