/**
 * JSON shapes the HTTP API returns. Dependency-free on purpose: the web UI imports these types too,
 * so the presenters and the frontend's client cannot drift apart.
 */

export interface MailboxAddress {
  name: string;
  address: string;
}

export interface ApiError {
  ok: false;
  error: { code: string; message: string; param?: string };
}

export interface NewAddressResponse {
  address: string;
  address_id: number;
  jwt: string;
}

export interface AddressInfo {
  address: string;
  address_id: number;
  created_at: string | null;
  last_active_at: string | null;
  mail_count: number;
  sent_count: number;
  send_balance: number;
}

/** What was found on ingest: the one-time code and sign-in link (see services/verification). */
export interface VerificationFields {
  verification_code: string | null;
  verification_link: string | null;
  /** 0–1; null when nothing was found. */
  verification_confidence: number | null;
}

export interface MailSummary extends VerificationFields {
  id: number;
  /** The message's id in /api/v1 (`msg_…`), e.g. for POST /api/v1/ai/generate's message_id. */
  uid: string | null;
  message_id: string | null;
  source: string;
  address: string;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  subject: string | null;
  date: string | null;
  snippet: string;
  has_attachments: boolean;
  size: number;
  seen: boolean;
  created_at: string | null;
}

export interface AttachmentInfo {
  index: number;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
  disposition: string | null;
}

export interface FullMail extends MailSummary {
  cc: MailboxAddress[];
  reply_to: MailboxAddress[];
  in_reply_to: string | null;
  references: string | null;
  headers: { key: string; value: string }[];
  text: string | null;
  html: string | null;
  attachments: AttachmentInfo[];
  parse_error: string | null;
}

export interface CompatMail {
  id: number;
  message_id: string | null;
  source: string;
  address: string;
  subject: string | null;
  raw: string;
  created_at: string | null;
}

/** One recipient's outcome in the original API's shape; `pending` while a queued send is under way. */
export interface RecipientState {
  address: string;
  status: 'sent' | 'failed' | 'pending';
  via?: 'internal' | 'cloudflare' | 'resend' | 'smtp';
  error?: string;
  provider_id?: string;
}

/** The original Sent box statuses, plus the states of a queued (v1) send before it completes. */
export type SentStatus = 'sent' | 'partial' | 'failed' | 'scheduled' | 'queued' | 'sending' | 'cancelled';

export interface SentSummary {
  id: number;
  message_id: string;
  subject: string | null;
  to: MailboxAddress[];
  cc: MailboxAddress[];
  status: SentStatus;
  recipients: RecipientState[];
  size: number;
  created_at: string | null;
}

export interface SentMail extends SentSummary {
  raw: string;
}

export interface SendResponse {
  ok: true;
  status: 'ok';
  sent_id: number;
  message_id: string;
  delivery_status: 'sent' | 'partial';
  recipients: RecipientState[];
}

export interface ListResponse<T> {
  results: T[];
  count: number;
}

export interface PublicConfig {
  /** Domains where anyone may create a temporary address. */
  domains: string[];
  admin_only_create: boolean;
  max_message_bytes: number;
  /** Whether self-signup (an account with its own domain) is open. */
  signup: boolean;
  /** Whether POST /api/v1/ai/generate is configured (the UI shows its AI buttons only then). */
  ai_enabled: boolean;
  /** Where the SMTP proxy listens (host:port, SMTP_PROXY_ADDRESS), or null when the operator has not said. */
  smtp_proxy: string | null;
}

export interface AdminStats {
  addresses: number;
  received: { last_24h: number; last_7d: number };
  sent: { last_24h: number; last_7d: number };
  failed: { last_24h: number; last_7d: number };
}

export interface AdminConfig {
  /** Every active domain. */
  domains: string[];
  signup: boolean;
  dkim_encryption_key_set: boolean;
  doh_resolver_url: string;
  catch_all: 'reject' | 'create';
  provider: 'cloudflare' | 'resend';
  max_message_bytes: number;
  blob_threshold_bytes: number;
  admin_only_create: boolean;
  jwt_ttl_seconds: number;
  default_send_balance: number;
  send_rate_per_minute: number;
  max_recipients: number;
  forward_to: string[];
  retention_days: number;
  address_ttl_days: number;
  site_password_required: boolean;
}

/** The /api/v1 sending shapes the web UI reads; the v1 presenters are typed with them, the contract tests check them against the OpenAPI schemas. */
export type V1EmailStatus = 'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'partially_failed' | 'bounced' | 'failed' | 'cancelled';

export interface V1AcceptedEmail {
  id: string;
  message_id: string;
  status: V1EmailStatus;
  to: string;
  subject: string;
  scheduled_at: string | null;
}

export interface V1Recipient {
  email: string;
  name: string;
  type: 'to' | 'cc' | 'bcc';
  status: 'queued' | 'deferred' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'suppressed' | 'cancelled';
  via: string | null;
  smtp_code: number | null;
  dsn_code: string | null;
  smtp_response: string | null;
  updated_at: string;
  first_opened_at: string | null;
  first_clicked_at: string | null;
  open_count: number;
  click_count: number;
}

/** Where a message got to, end to end (services/tracking/unified.ts). */
export type V1UnifiedStatus = 'scheduled' | 'queued' | 'sent' | 'delivered' | 'opened' | 'clicked' | 'replied' | 'bounced' | 'failed' | 'suppressed' | 'cancelled';

export interface V1Email {
  id: string;
  message_id: string;
  from: { name: string; email: string };
  to: string;
  cc: string[];
  bcc: string[];
  subject: string;
  status: V1EmailStatus;
  unified_status: V1UnifiedStatus;
  tags: string[];
  /** Each with an id, and content_type/size also as seed 002 names them (contentType, sizeBytes). */
  attachments: { id: string; filename: string; content_type: string; size: number; contentType: string; sizeBytes: number }[];
  attempts: number;
  last_error: string | null;
  created_at: string;
  scheduled_at: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  first_opened_at: string | null;
  first_clicked_at: string | null;
  first_replied_at: string | null;
  /** When one of our own mailboxes that received it marked it seen. */
  read_at: string | null;
  open_count: number;
  click_count: number;
  track_opens: boolean;
  track_clicks: boolean;
  recipients: V1Recipient[];
  events?: { type: string; recipient: string | null; detail: string | null; created_at: string }[];
}

export interface V1Envelope<T> {
  ok: true;
  success: true;
  data: T;
  meta: { request_id: string; next_cursor?: string | null; total?: number };
}

export type V1WebhookEvent =
  | 'email.queued' | 'email.sent' | 'email.delivered' | 'email.delivery_delayed' | 'email.bounced' | 'email.failed'
  | 'email.opened' | 'email.clicked' | 'email.replied' | 'email.cancelled' | 'email.suppressed' | 'email.received';

/** A webhook endpoint (/api/v1/webhooks); `secret` only in the answers to create and rotate_secret. */
export interface V1Webhook {
  id: string;
  url: string;
  description: string;
  events: V1WebhookEvent[];
  mailbox: string | null;
  domain: string | null;
  enabled: boolean;
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  secret?: string;
}

export interface V1WebhookAttempt {
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: string;
}

export interface V1WebhookDelivery {
  id: string;
  /** The Standard Webhooks message id, sent as `webhook-id` (kept by a replay). */
  message_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  payload: unknown;
  attempt_log: V1WebhookAttempt[];
}
