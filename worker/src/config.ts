/**
 * Runtime configuration: parsed and validated once per `env` object, then passed around as a typed
 * value. Every variable is documented in README.md ("Configuration").
 */
import { z } from 'zod';

/** Accepts `a,b`, `a b` or a JSON array `["a","b"]`, as users write lists in wrangler.toml or the dashboard. */
const list = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const text = (raw ?? '').trim();
    if (!text.startsWith('[')) return text.split(/[\s,]+/).filter(Boolean);
    try {
      return z.array(z.string()).parse(JSON.parse(text)).map((s) => s.trim()).filter(Boolean);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON array of strings or a comma-separated list' });
      return z.NEVER;
    }
  });

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .pipe(z.number().int().min(min).max(max));

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : /^(1|true|yes|on)$/i.test(v.trim())));

// D1 rows are capped at 2 MB; this leaves room for the parsed bodies stored beside the raw bytes.
const D1_SAFE_BLOB_BYTES = 900_000;

const configSchema = z.object({
  DOMAINS: list.pipe(z.array(z.string()).min(1, 'DOMAINS must name at least one domain')),
  CATCH_ALL: z.enum(['reject', 'create']).default('reject'),
  MAX_MESSAGE_BYTES: int(25 * 1024 * 1024, 1024),
  // Raw messages and attachments above this go to R2.
  BLOB_THRESHOLD_BYTES: int(128 * 1024, 0, D1_SAFE_BLOB_BYTES),
  // Every raw message and attachment in R2, and no copy of the bodies in D1 (docs/scale.md).
  BODIES_IN_R2: bool(false),
  // How much of each body the search index holds; the index is most of a small message's D1 bytes.
  SEARCH_BODY_CHARS: int(100_000, 0, 1_000_000),
  ADMIN_ONLY_CREATE: bool(false),
  JWT_SECRET: z.string({ error: 'JWT_SECRET is not set' }).min(16, 'JWT_SECRET must be at least 16 characters'),
  JWT_TTL_SECONDS: int(0),
  ADMIN_PASSWORDS: list,
  PASSWORDS: list,
  FORWARD_TO: list,
  RETENTION_DAYS: int(0),
  ADDRESS_TTL_DAYS: int(0),
  CLEANUP_BATCH_SIZE: int(200, 1, 5000),
  MAIL_PROVIDER: z.enum(['cloudflare', 'resend']).default('cloudflare'),
  RESEND_API_KEY: z.string().optional(),
  RESEND_API_URL: z.url().default('https://api.resend.com'),
  DEFAULT_SEND_BALANCE: int(0),
  SEND_RATE_PER_MINUTE: int(10),
  MAX_RECIPIENTS: int(50, 1, 1000),
  V1_RATE_READ_PER_MINUTE: int(600),
  V1_RATE_WRITE_PER_MINUTE: int(120),
  V1_RATE_SEARCH_PER_MINUTE: int(60),
});

export interface Config {
  domains: string[];
  catchAll: 'reject' | 'create';
  maxMessageBytes: number;
  blobThresholdBytes: number;
  /** Received raw sources and attachments always go to R2, and readers parse bodies from the raw source. */
  bodiesInR2: boolean;
  /** Characters of each message's readable body the search index holds (subject and people always). */
  searchBodyChars: number;
  adminOnlyCreate: boolean;
  jwtSecret: Uint8Array;
  /** 0 means address tokens never expire (they are revoked by rotation or deletion instead). */
  jwtTtlSeconds: number;
  adminPasswords: string[];
  sitePasswords: string[];
  forwardTo: string[];
  retentionDays: number;
  addressTtlDays: number;
  cleanupBatchSize: number;
  /** Where mail for other domains goes; mail for our own DOMAINS is always delivered internally. */
  provider: { kind: 'cloudflare' } | { kind: 'resend'; apiKey: string; apiUrl: string };
  /** Send balance a new address starts with; 0 means it cannot send until an admin grants some. */
  defaultSendBalance: number;
  /** Messages per address per rolling minute; 0 means unlimited. */
  sendRatePerMinute: number;
  /** Envelope recipients per message (To + Cc + Bcc). */
  maxRecipients: number;
  /** Requests per key per minute on /api/v1, by endpoint class; 0 means unlimited. */
  v1RateLimits: { read: number; write: number; search: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

/** Parses `env` into a Config, once per env object. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, unknown>): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string'));
  const parsed = configSchema.safeParse(strings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const v = parsed.data;
  if (v.MAIL_PROVIDER === 'resend' && !v.RESEND_API_KEY) {
    throw new ConfigError('invalid configuration: RESEND_API_KEY must be set when MAIL_PROVIDER is resend');
  }
  const config: Config = {
    domains: v.DOMAINS.map((d) => d.toLowerCase()),
    catchAll: v.CATCH_ALL,
    maxMessageBytes: v.MAX_MESSAGE_BYTES,
    blobThresholdBytes: v.BLOB_THRESHOLD_BYTES,
    bodiesInR2: v.BODIES_IN_R2,
    searchBodyChars: v.SEARCH_BODY_CHARS,
    adminOnlyCreate: v.ADMIN_ONLY_CREATE,
    jwtSecret: new TextEncoder().encode(v.JWT_SECRET),
    jwtTtlSeconds: v.JWT_TTL_SECONDS,
    adminPasswords: v.ADMIN_PASSWORDS,
    sitePasswords: v.PASSWORDS,
    forwardTo: v.FORWARD_TO,
    retentionDays: v.RETENTION_DAYS,
    addressTtlDays: v.ADDRESS_TTL_DAYS,
    cleanupBatchSize: v.CLEANUP_BATCH_SIZE,
    provider:
      v.MAIL_PROVIDER === 'resend'
        ? { kind: 'resend', apiKey: v.RESEND_API_KEY!, apiUrl: v.RESEND_API_URL.replace(/\/$/, '') }
        : { kind: 'cloudflare' },
    defaultSendBalance: v.DEFAULT_SEND_BALANCE,
    sendRatePerMinute: v.SEND_RATE_PER_MINUTE,
    maxRecipients: v.MAX_RECIPIENTS,
    v1RateLimits: { read: v.V1_RATE_READ_PER_MINUTE, write: v.V1_RATE_WRITE_PER_MINUTE, search: v.V1_RATE_SEARCH_PER_MINUTE },
  };
  cache.set(env, config);
  return config;
}
