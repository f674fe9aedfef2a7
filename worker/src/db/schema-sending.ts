/**
 * The sending part of the D1 schema: every outbound email with its recipients, events, the
 * suppression list and Idempotency-Key records. Its own file (drizzle.config.ts lists it) so the
 * mail tables stay readable.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bytes } from './columns';
import { addresses } from './schema';

/**
 * Every message an address sends, whichever door it came through (v1 API, legacy send_mail, SMTP
 * proxy): the Sent box and the delivery record. The compose input (`payload`) is kept until the
 * message is built at dispatch; from then on the built MIME (`raw`) is what every retry re-sends.
 */
export const EMAIL_STATUSES = [
  'scheduled', 'queued', 'sending', 'sent', 'delivered', 'partially_failed', 'bounced', 'failed', 'cancelled',
] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const emails = sqliteTable(
  'emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The id the API exposes (`em_…`). */
    publicId: text('public_id').notNull(),
    /** The sending mailbox (its Sent folder gets the copy; its balance and rate apply). */
    addressId: integer('address_id')
      .notNull()
      .references(() => addresses.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    fromName: text('from_name').notNull().default(''),
    subject: text('subject'),
    /** JSON arrays of `{ name, address }`. Bcc is kept here and in the Sent copy, never in delivered headers. */
    toJson: text('to_json').notNull().default('[]'),
    ccJson: text('cc_json').notNull().default('[]'),
    bccJson: text('bcc_json').notNull().default('[]'),
    /** JSON array of strings (`name` or `name:value`). */
    tagsJson: text('tags_json').notNull().default('[]'),
    /** JSON array of `{ filename, content_type, size }`. */
    attachmentsJson: text('attachments_json').notNull().default('[]'),
    status: text('status', { enum: EMAIL_STATUSES }).notNull(),
    /** The compose input as JSON, until the MIME is built (inline, or in R2 under payloadKey). */
    payload: bytes('payload'),
    payloadKey: text('payload_key'),
    /** The built message, exactly as delivered (inline, or in R2 under rawKey). */
    raw: bytes('raw'),
    rawKey: text('raw_key'),
    rawSize: integer('raw_size').notNull().default(0),
    /** Whether the send balance was charged (refunded when nothing is delivered). */
    charged: integer('charged', { mode: 'boolean' }).notNull().default(false),
    /** Dispatch attempts so far. */
    attempts: integer('attempts').notNull().default(0),
    /** A consumer holds the message until then: two deliveries of one queue message never dispatch at once. */
    lockedUntil: integer('locked_until'),
    /** When it was last handed to the queue; null when that failed (the sweeper re-enqueues it). */
    enqueuedAt: integer('enqueued_at'),
    lastError: text('last_error'),
    scheduledAt: integer('scheduled_at'),
    sentAt: integer('sent_at'),
    deliveredAt: integer('delivered_at'),
    /** Tracking asked for at accept time (per send, or the TRACK_* defaults); null base means no tracking. */
    trackOpens: integer('track_opens', { mode: 'boolean' }).notNull().default(false),
    trackClicks: integer('track_clicks', { mode: 'boolean' }).notNull().default(false),
    /** The origin tracking URLs point at (PUBLIC_URL, or the origin the message was accepted on). */
    trackingBase: text('tracking_base'),
    /** When the delivered MIME was built: per-recipient tracked copies carry the same Date on every attempt. */
    builtAt: integer('built_at'),
    /** Engagement (services/tracking): first of each, any recipient; `readAt` when one of our own mailboxes marked it seen. */
    firstOpenedAt: integer('first_opened_at'),
    firstClickedAt: integer('first_clicked_at'),
    firstRepliedAt: integer('first_replied_at'),
    readAt: integer('read_at'),
    openCount: integer('open_count').notNull().default(0),
    clickCount: integer('click_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('emails_public_id_uq').on(t.publicId),
    // Reply detection looks messages up by the Message-ID an inbound reply names.
    index('emails_message_id_idx').on(t.messageId),
    index('emails_address_id_idx').on(t.addressId, t.id),
    index('emails_address_created_idx').on(t.addressId, t.createdAt),
    index('emails_status_scheduled_idx').on(t.status, t.scheduledAt),
    index('emails_created_idx').on(t.createdAt),
  ],
);

export const RECIPIENT_STATUSES = ['queued', 'deferred', 'sent', 'delivered', 'bounced', 'failed', 'suppressed', 'cancelled'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** One row per envelope recipient of an email, with the latest outcome of delivering to it. */
export const emailRecipients = sqliteTable(
  'email_recipients',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    emailId: integer('email_id')
      .notNull()
      .references(() => emails.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    name: text('name').notNull().default(''),
    type: text('type', { enum: ['to', 'cc', 'bcc'] }).notNull(),
    status: text('status', { enum: RECIPIENT_STATUSES }).notNull(),
    /** internal, cloudflare, resend or smtp. */
    via: text('via'),
    smtpCode: integer('smtp_code'),
    /** Enhanced status code (RFC 3463), e.g. `5.1.1`. */
    dsnCode: text('dsn_code'),
    smtpResponse: text('smtp_response'),
    providerId: text('provider_id'),
    updatedAt: integer('updated_at').notNull(),
    /** Random id in this recipient's pixel and link URLs (services/tracking/tokens.ts); null when untracked. */
    trackId: text('track_id'),
    firstOpenedAt: integer('first_opened_at'),
    firstClickedAt: integer('first_clicked_at'),
    openCount: integer('open_count').notNull().default(0),
    clickCount: integer('click_count').notNull().default(0),
  },
  (t) => [uniqueIndex('email_recipients_email_address_uq').on(t.emailId, t.address), uniqueIndex('email_recipients_track_id_uq').on(t.trackId)],
);

/** The timeline of an email: accepted, scheduled, sent, deferred, bounced, cancelled … */
export const emailEvents = sqliteTable(
  'email_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    emailId: integer('email_id')
      .notNull()
      .references(() => emails.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    recipient: text('recipient'),
    detail: text('detail'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('email_events_email_idx').on(t.emailId, t.id)],
);

/** Recipients that hard-bounced, per sending domain: later sends skip them. */
export const suppressions = sqliteTable(
  'suppressions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    domain: text('domain').notNull(),
    address: text('address').notNull(),
    reason: text('reason', { enum: ['hard_bounce'] }).notNull(),
    smtpCode: integer('smtp_code'),
    dsnCode: text('dsn_code'),
    smtpResponse: text('smtp_response'),
    /** The mailbox whose send bounced (mailbox keys see only their own). */
    sourceAddressId: integer('source_address_id').references(() => addresses.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('suppressions_domain_address_uq').on(t.domain, t.address), index('suppressions_address_idx').on(t.address)],
);

/** Idempotency-Key records: the first response to a key, replayed for 24 h. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Who used the key (a principal's rate key): keys never collide across callers. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of method, path and request body. */
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ['in_flight', 'done'] }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('idempotency_scope_key_uq').on(t.scope, t.key), index('idempotency_expires_idx').on(t.expiresAt)],
);

export type EmailRow = typeof emails.$inferSelect;
export type NewEmail = typeof emails.$inferInsert;
export type EmailRecipientRow = typeof emailRecipients.$inferSelect;
export type EmailEventRow = typeof emailEvents.$inferSelect;
export type SuppressionRow = typeof suppressions.$inferSelect;
