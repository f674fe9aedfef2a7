/**
 * The accounts part of the D1 schema: people (users) with sessions, the domains we serve, who owns
 * which mailbox, and per-domain permissions. A second schema file so the mail tables stay readable;
 * drizzle.config.ts lists both.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { addresses } from './schema';

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The login, lowercase; usually also one of the user's mailboxes. */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` (services/accounts/passwords.ts). */
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

/** Log-in sessions; the token is shown once and only its SHA-256 is kept. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `ses_…`: how a session is named in listings and revocations. */
    publicId: text('public_id').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('sessions_token_hash_uq').on(t.tokenHash), uniqueIndex('sessions_public_id_uq').on(t.publicId), index('sessions_user_idx').on(t.userId)],
);

/**
 * The domains this deployment serves. `active` receives and sends; `pending` (self-signup awaiting
 * approval) does neither. `open` domains (seeded from DOMAINS) accept anonymous temporary addresses.
 */
export const domains = sqliteTable(
  'domains',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    status: text('status', { enum: ['pending', 'active'] }).notNull(),
    open: integer('open', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: integer('approved_at'),
    dkimSelector: text('dkim_selector'),
    /** Base64 SubjectPublicKeyInfo: the `p=` of the DKIM record. */
    dkimPublicKey: text('dkim_public_key'),
    /** The PKCS#8 private key, AES-GCM encrypted with a key derived from DKIM_ENCRYPTION_KEY. */
    dkimPrivateKey: text('dkim_private_key'),
    /** JSON of the last DNS check (services/domains/verify.ts). */
    dnsReportJson: text('dns_report_json'),
    dnsCheckedAt: integer('dns_checked_at'),
    dnsVerifiedAt: integer('dns_verified_at'),
  },
  (t) => [uniqueIndex('domains_name_uq').on(t.name), index('domains_status_idx').on(t.status)],
);

export const PERMISSIONS = ['manage_users', 'manage_domains', 'view_mailbox', 'view_stats', 'send_mail'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const permissions = sqliteTable(
  'permissions',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    domainId: integer('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    permission: text('permission', { enum: PERMISSIONS }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.domainId, t.permission] }), index('permissions_domain_idx').on(t.domainId)],
);

/** Which user owns a mailbox; an address has at most one owner, anonymous ones none. */
export const mailboxOwners = sqliteTable(
  'mailbox_owners',
  {
    addressId: integer('address_id')
      .primaryKey()
      .references(() => addresses.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('mailbox_owners_user_idx').on(t.userId)],
);

/** Every signup attempt per domain, for the 3-per-hour limit. */
export const signupAttempts = sqliteTable(
  'signup_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    domain: text('domain').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('signup_attempts_domain_idx').on(t.domain, t.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type DomainRow = typeof domains.$inferSelect;
export type PermissionRow = typeof permissions.$inferSelect;
