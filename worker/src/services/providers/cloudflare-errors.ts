/**
 * What a refusal from Cloudflare's `send_email` binding means for the recipient. The binding throws
 * rather than answering SMTP codes. Cloudflare Email Service errors carry an `E_…` code (on `code`,
 * or in the message); the local simulator throws plain messages for the same refusals. Only refusals
 * that sending the same bytes again cannot change are final. Anything unrecognised, a rate limit or
 * an internal error stays transient, so an unknown error is retried as before rather than dropped.
 */
import type { DeliveryOutcome } from './types';

type Refusal = Exclude<DeliveryOutcome, 'accepted'>;

const BY_CODE: Record<string, Refusal> = {
  // The message itself: it would be refused again.
  E_VALIDATION_ERROR: 'failed',
  E_FIELD_MISSING: 'failed',
  E_TOO_MANY_RECIPIENTS: 'failed',
  E_TOO_MANY_ATTACHMENTS: 'failed',
  E_CONTENT_TOO_LARGE: 'failed',
  // The account's setup: an operator must act first (onboard the domain, verify the destination).
  E_SENDER_NOT_VERIFIED: 'failed',
  E_SENDER_DOMAIN_NOT_AVAILABLE: 'failed',
  E_RECIPIENT_NOT_ALLOWED: 'failed',
  E_DELIVERY_FAILED: 'failed',
  // Cloudflare suppresses an address after it bounced: ours should too.
  E_RECIPIENT_SUPPRESSED: 'bounced',
  // Retried later, like any unknown code.
  E_RATE_LIMIT_EXCEEDED: 'deferred',
  E_DAILY_LIMIT_EXCEEDED: 'deferred',
  E_INTERNAL_SERVER_ERROR: 'deferred',
};

/** The local simulator's words for the same final refusals (miniflare's send_email worker). */
const FINAL_MESSAGES = [
  /^email (to|from) \S+ not allowed$/,
  /^could not parse email\b/,
  /^invalid message-id$/,
  /^From: header does not match mail from$/,
  /^invalid headers set$/,
];

export interface BindingRefusal {
  outcome: Refusal;
  /** What to record: the error's code and message. */
  response: string;
}

export function classifyBindingError(err: unknown): BindingRefusal {
  const message = err instanceof Error ? err.message : typeof err === 'object' && err && 'message' in err ? String(err.message) : String(err);
  const code = codeOf(err, message);
  const response = !code || message.includes(code) ? message : message ? `${code}: ${message}` : code;
  if (code) return { outcome: BY_CODE[code] ?? 'deferred', response };
  return { outcome: FINAL_MESSAGES.some((pattern) => pattern.test(message)) ? 'failed' : 'deferred', response };
}

function codeOf(err: unknown, message: string): string | undefined {
  const own = typeof err === 'object' && err !== null && Object.hasOwn(err, 'code') ? (err as { code: unknown }).code : undefined;
  if (typeof own === 'string' && /^E_[A-Z0-9_]+$/.test(own)) return own;
  return /\bE_[A-Z0-9_]+\b/.exec(message)?.[0];
}
