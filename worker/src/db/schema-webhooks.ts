/**
 * The webhooks part of the D1 schema: endpoints, the deliveries of each event to each endpoint, and
 * every HTTP attempt. A third schema file so the mail tables stay readable; drizzle.config.ts lists it.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const WEBHOOK_EVENTS = [
  'email.queued', 'email.sent', 'email.delivered', 'email.delivery_delayed', 'email.bounced', 'email.failed',
  'email.opened', 'email.clicked', 'email.replied', 'email.cancelled', 'email.suppressed', 'email.received',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Endpoints that receive events (Standard Webhooks), optionally limited to one mailbox or one domain. */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `wh_…` */
    publicId: text('public_id').notNull(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** JSON array of WebhookEvent. */
    eventsJson: text('events_json').notNull(),
    /** Only events of this mailbox (sent from it, or received by it); null: no mailbox filter. */
    mailbox: text('mailbox'),
    /** Only events of addresses on this domain; null: no domain filter. */
    domain: text('domain'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** The signing secret (`whsec_…`); shown once, at creation or rotation. */
    secret: text('secret').notNull(),
    /** First failed attempt since the last success; an endpoint failing for a day is disabled. */
    failingSince: integer('failing_since'),
    disabledAt: integer('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('webhooks_public_id_uq').on(t.publicId)],
);

/** One event for one endpoint: the signed message (same `webhook-id` on every attempt) and where it stands. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `whd_…` */
    publicId: text('public_id').notNull(),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** The Standard Webhooks message id (`msg_…`), sent as `webhook-id`; a replay keeps it so receivers can dedupe. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The JSON body exactly as signed. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** When the next attempt is due; null once settled. The sweep re-enqueues overdue ones. */
    nextAttemptAt: integer('next_attempt_at'),
    /** An attempt holds the delivery until then, so two queue messages never post it at once. */
    lockedUntil: integer('locked_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_public_id_uq').on(t.publicId),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.id),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Every HTTP attempt of a delivery: status code (null for timeouts and network errors), latency, the start of the answer. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
