/**
 * Runtime configuration: parsed and validated once per `env` object, then passed around as a typed
 * value. Every variable is documented in README.md ("Configuration").
 */
import { z } from 'zod';
import { bool, choice, int, list, optional, passwordList, urlOr } from './config-fields';

export const AI_PROVIDERS = ['workers-ai', 'openai', 'anthropic'] as const;
export type AiProviderName = (typeof AI_PROVIDERS)[number];

/** Models good at short business writing, cheap enough for every mailbox; override with *_MODEL. */
export const AI_DEFAULTS = {
  openaiBaseUrl: 'https://api.openai.com/v1',
  openaiModel: 'gpt-4.1-mini',
  anthropicBaseUrl: 'https://api.anthropic.com/v1',
  anthropicModel: 'claude-haiku-4-5',
  workersAiModel: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
} as const;

export interface AiSettings {
  /** AI_PROVIDER; null picks the first configured one (Workers AI when bound). */
  provider: AiProviderName | null;
  openai: { apiKey: string | null; baseUrl: string; customBaseUrl: boolean; model: string };
  anthropic: { apiKey: string | null; baseUrl: string; model: string };
  workersAi: { model: string };
  /** Requests per key per hour; 0 means unlimited. */
  ratePerHour: number;
  /** Untrusted text (mail, draft) beyond this is cut, with a note to the model. */
  maxInputChars: number;
  timeoutMs: number;
}

// D1 rows are capped at 2 MB; this leaves room for the parsed bodies stored beside the raw bytes.
const D1_SAFE_BLOB_BYTES = 900_000;

const configSchema = z.object({
  DOMAINS: list.pipe(z.array(z.string()).min(1, 'DOMAINS must name at least one domain')),
  CATCH_ALL: choice(['reject', 'create'], 'reject'),
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
  ADMIN_PASSWORDS: passwordList,
  PASSWORDS: passwordList,
  FORWARD_TO: list,
  RETENTION_DAYS: int(0),
  ADDRESS_TTL_DAYS: int(0),
  CLEANUP_BATCH_SIZE: int(200, 1, 5000),
  MAIL_PROVIDER: choice(['cloudflare', 'resend', 'smtp'], 'cloudflare'),
  RESEND_API_KEY: z.string().optional(),
  RESEND_API_URL: urlOr('https://api.resend.com'),
  SMTP_RELAY_HOST: z.string().optional(),
  SMTP_RELAY_PORT: int(587, 1, 65535),
  SMTP_RELAY_SECURITY: choice(['starttls', 'tls', 'none'], 'starttls'),
  SMTP_RELAY_USER: z.string().optional(),
  SMTP_RELAY_PASSWORD: z.string().optional(),
  // The queue's max_retries in wrangler.toml (10) must stay at or above this.
  SEND_MAX_ATTEMPTS: int(5, 1, 10),
  SEND_RETRY_BASE_SECONDS: int(30, 1, 3600),
  DEFAULT_SEND_BALANCE: int(0),
  SEND_RATE_PER_MINUTE: int(10),
  NEW_ADDRESSES_PER_HOUR: int(30),
  MAX_RECIPIENTS: int(50, 1, 1000),
  // Each imported message is one D1 query; Cloudflare allows 1,000 per invocation (Workers Paid), 50 (Free).
  IMPORT_MAX_MESSAGES: int(400, 1, 100_000),
  V1_RATE_READ_PER_MINUTE: int(600),
  V1_RATE_WRITE_PER_MINUTE: int(120),
  V1_RATE_SEARCH_PER_MINUTE: int(60),
  MAILAPI_RATE_PER_MINUTE: int(100),
  MAILAPI_RATE_PER_HOUR: int(1000),
  ADMIN_AUTH_FAILURES_PER_MINUTE: int(10),
  SIGNUP: choice(['on', 'off'], 'on'),
  SESSION_TTL_SECONDS: int(14 * 86_400, 60),
  DKIM_ENCRYPTION_KEY: z.string().optional().transform((v) => v?.trim() || undefined).pipe(z.string().min(16, 'DKIM_ENCRYPTION_KEY must be at least 16 characters').optional()),
  DOH_RESOLVER_URL: urlOr('https://cloudflare-dns.com/dns-query'),
  DOMAIN_CACHE_SECONDS: int(30, 0, 3600),
  AI_PROVIDER: optional.pipe(z.enum(AI_PROVIDERS, { error: `AI_PROVIDER must be one of ${AI_PROVIDERS.join(', ')}` }).optional()),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional.pipe(z.url({ error: 'OPENAI_BASE_URL must be a URL' }).optional()),
  OPENAI_MODEL: optional,
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_BASE_URL: optional.pipe(z.url({ error: 'ANTHROPIC_BASE_URL must be a URL' }).optional()),
  ANTHROPIC_MODEL: optional,
  WORKERS_AI_MODEL: optional,
  AI_RATE_PER_HOUR: int(50),
  AI_MAX_INPUT_CHARS: int(24_000, 1_000, 2_000_000),
  AI_TIMEOUT_MS: int(60_000, 100, 600_000),
  // The ByteSMTP door's per-endpoint hourly limits, at that API's published values.
  BYTESMTP_SEND_PER_HOUR: int(100),
  BYTESMTP_INBOX_PER_HOUR: int(300),
  BYTESMTP_READ_PER_HOUR: int(300),
  BYTESMTP_DELETE_PER_HOUR: int(100),
  REMOTE_ATTACHMENTS: choice(['public', 'any', 'off'], 'public', 'REMOTE_ATTACHMENTS must be public, any or off'),
  REMOTE_ATTACHMENT_TIMEOUT_MS: int(10_000, 100, 120_000),
  SMTP_PROXY_ADDRESS: optional.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: 'SMTP_PROXY_ADDRESS must be host:port, such as smtp.example.org:587' })
      .optional(),
  ),
  PUBLIC_URL: optional.pipe(z.url({ error: 'PUBLIC_URL must be a URL such as https://mail.example.org' }).optional()),
  TRACKING: choice(['on', 'off'], 'on'),
  TRACK_OPENS: bool(false),
  TRACK_CLICKS: bool(false),
  TRACKING_SECRET: optional.pipe(z.string().min(16, 'TRACKING_SECRET must be at least 16 characters').optional()),
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 30_000),
  WEBHOOK_POSTS_PER_INVOCATION: int(40, 1, 1_000),
});

export interface Config {
  /** DOMAINS: seeded into the domains table as active, open domains. Read only by services/domains. */
  seedDomains: string[];
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
  provider: ProviderConfig;
  /** Queue delivery: attempts per message, and the first retry delay (doubling after each attempt). */
  sending: { maxAttempts: number; retryBaseSeconds: number };
  /** Send balance a new address starts with; 0 means it cannot send until an admin grants some. */
  defaultSendBalance: number;
  /** Messages per address per rolling minute; 0 means unlimited. */
  sendRatePerMinute: number;
  /** Addresses anyone (not an admin) may create per client IP per hour; 0 means unlimited. */
  newAddressesPerHour: number;
  /** Envelope recipients per message (To + Cc + Bcc). */
  maxRecipients: number;
  /** IMPORT_MAX_MESSAGES: messages one import request may hold (each is a D1 query in that request). */
  importMaxMessages: number;
  /** Requests per key per minute on /api/v1, by endpoint class; 0 means unlimited. */
  v1RateLimits: { read: number; write: number; search: number };
  /** Requests per token on the Mail API door (/compat/mailapi); 0 means unlimited. */
  mailApiRateLimits: { perMinute: number; perHour: number };
  /** Wrong admin passwords per client address and minute before it gets 429; 0 means no limit. */
  adminAuthFailuresPerMinute: number;
  /** Whether POST /auth/signup is open (SIGNUP=on). */
  signup: boolean;
  /** Lifetime of a log-in session (user token). */
  sessionTtlSeconds: number;
  /** The secret DKIM private keys are encrypted with; null when unset (approval then fails clearly). */
  dkimEncryptionKey: string | null;
  /** DNS-over-HTTPS JSON endpoint used to verify a domain's records. */
  dohResolverUrl: string;
  /** How long an isolate trusts its list of domains; 0 reads D1 every time. */
  domainCacheSeconds: number;
  /** AI generation (POST /api/v1/ai/generate): off until a provider is configured. */
  ai: AiSettings;
  /** Requests per key per hour on the ByteSMTP door, by endpoint; 0 means unlimited. Its AI endpoint uses `ai.ratePerHour`. */
  bytesmtpRateLimits: { send: number; inbox: number; read: number; delete: number };
  /**
   * Attachments given by URL (the Resend door's `path`): fetched from public hosts only (`public`),
   * from any host including loopback and private networks (`any`, for local development), or never.
   */
  remoteAttachments: { mode: 'public' | 'any' | 'off'; timeoutMs: number };
  /** SMTP_PROXY_ADDRESS: where the SMTP proxy listens (host:port), for the web UI's example; null when not said. */
  smtpProxyAddress: string | null;
  /** PUBLIC_URL without a trailing slash: the origin tracking links and webhook payloads point at; null uses the request's. */
  publicUrl: string | null;
  /**
   * Open and click tracking. `enabled` is the global switch (TRACKING=off turns every form off);
   * `opens`/`clicks` are the defaults of a send that does not say; `secret` keys the link signatures
   * (TRACKING_SECRET, else JWT_SECRET; services/tracking/tokens.ts derives its own key from it).
   */
  tracking: { enabled: boolean; opens: boolean; clicks: boolean; secret: string };
  /**
   * Webhook delivery: whether loopback/private targets are allowed (local development), the
   * per-attempt timeout, and how many posts one consumer invocation makes (Workers Free allows 50
   * subrequests per invocation; the consumer's D1 queries and one queue send take a few).
   */
  webhooks: { allowPrivate: boolean; timeoutMs: number; postsPerInvocation: number };
}

export type ProviderConfig =
  | { kind: 'cloudflare' }
  | { kind: 'resend'; apiKey: string; apiUrl: string }
  | { kind: 'smtp'; host: string; port: number; security: 'starttls' | 'tls' | 'none'; username?: string; password?: string };

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
  if (v.MAIL_PROVIDER === 'smtp' && !v.SMTP_RELAY_HOST) {
    throw new ConfigError('invalid configuration: SMTP_RELAY_HOST must be set when MAIL_PROVIDER is smtp');
  }
  const config: Config = {
    seedDomains: v.DOMAINS.map((d) => d.toLowerCase()),
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
    provider: providerConfig(v),
    sending: { maxAttempts: v.SEND_MAX_ATTEMPTS, retryBaseSeconds: v.SEND_RETRY_BASE_SECONDS },
    defaultSendBalance: v.DEFAULT_SEND_BALANCE,
    sendRatePerMinute: v.SEND_RATE_PER_MINUTE,
    newAddressesPerHour: v.NEW_ADDRESSES_PER_HOUR,
    maxRecipients: v.MAX_RECIPIENTS,
    importMaxMessages: v.IMPORT_MAX_MESSAGES,
    v1RateLimits: { read: v.V1_RATE_READ_PER_MINUTE, write: v.V1_RATE_WRITE_PER_MINUTE, search: v.V1_RATE_SEARCH_PER_MINUTE },
    mailApiRateLimits: { perMinute: v.MAILAPI_RATE_PER_MINUTE, perHour: v.MAILAPI_RATE_PER_HOUR },
    adminAuthFailuresPerMinute: v.ADMIN_AUTH_FAILURES_PER_MINUTE,
    signup: v.SIGNUP === 'on',
    sessionTtlSeconds: v.SESSION_TTL_SECONDS,
    dkimEncryptionKey: v.DKIM_ENCRYPTION_KEY ?? null,
    dohResolverUrl: v.DOH_RESOLVER_URL,
    domainCacheSeconds: v.DOMAIN_CACHE_SECONDS,
    ai: {
      provider: v.AI_PROVIDER ?? null,
      openai: {
        apiKey: v.OPENAI_API_KEY ?? null,
        baseUrl: (v.OPENAI_BASE_URL ?? AI_DEFAULTS.openaiBaseUrl).replace(/\/+$/, ''),
        customBaseUrl: (v.OPENAI_BASE_URL ?? AI_DEFAULTS.openaiBaseUrl).replace(/\/+$/, '') !== AI_DEFAULTS.openaiBaseUrl,
        model: v.OPENAI_MODEL ?? AI_DEFAULTS.openaiModel,
      },
      anthropic: {
        apiKey: v.ANTHROPIC_API_KEY ?? null,
        baseUrl: (v.ANTHROPIC_BASE_URL ?? AI_DEFAULTS.anthropicBaseUrl).replace(/\/+$/, ''),
        model: v.ANTHROPIC_MODEL ?? AI_DEFAULTS.anthropicModel,
      },
      workersAi: { model: v.WORKERS_AI_MODEL ?? AI_DEFAULTS.workersAiModel },
      ratePerHour: v.AI_RATE_PER_HOUR,
      maxInputChars: v.AI_MAX_INPUT_CHARS,
      timeoutMs: v.AI_TIMEOUT_MS,
    },
    bytesmtpRateLimits: { send: v.BYTESMTP_SEND_PER_HOUR, inbox: v.BYTESMTP_INBOX_PER_HOUR, read: v.BYTESMTP_READ_PER_HOUR, delete: v.BYTESMTP_DELETE_PER_HOUR },
    remoteAttachments: { mode: v.REMOTE_ATTACHMENTS, timeoutMs: v.REMOTE_ATTACHMENT_TIMEOUT_MS },
    publicUrl: v.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    smtpProxyAddress: v.SMTP_PROXY_ADDRESS ?? null,
    tracking: { enabled: v.TRACKING === 'on', opens: v.TRACK_OPENS, clicks: v.TRACK_CLICKS, secret: v.TRACKING_SECRET ?? v.JWT_SECRET },
    webhooks: { allowPrivate: v.WEBHOOK_ALLOW_PRIVATE, timeoutMs: v.WEBHOOK_TIMEOUT_MS, postsPerInvocation: v.WEBHOOK_POSTS_PER_INVOCATION },
  };
  cache.set(env, config);
  return config;
}

function providerConfig(v: z.infer<typeof configSchema>): ProviderConfig {
  if (v.MAIL_PROVIDER === 'resend') return { kind: 'resend', apiKey: v.RESEND_API_KEY!, apiUrl: v.RESEND_API_URL.replace(/\/$/, '') };
  if (v.MAIL_PROVIDER === 'smtp') {
    return {
      kind: 'smtp',
      host: v.SMTP_RELAY_HOST!,
      port: v.SMTP_RELAY_PORT,
      security: v.SMTP_RELAY_SECURITY,
      username: v.SMTP_RELAY_USER || undefined,
      password: v.SMTP_RELAY_PASSWORD || undefined,
    };
  }
  return { kind: 'cloudflare' };
}
