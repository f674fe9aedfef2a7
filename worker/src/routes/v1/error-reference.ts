/**
 * The error table of the docs page (/api/v1/docs#errors): every code with its status, whether a
 * retry can help, and what it means. Each v1 error's `doc_url` points at its row (`#error-<code>`).
 * Typed over every code, so a new code cannot be added without saying what it means.
 */
import { ERROR_STATUS, isRetryable, type ErrorCode } from '../../lib/errors';

const MEANING: Record<ErrorCode, string> = {
  validation_failed: 'A field or parameter is missing or wrong; `param` names it, and `errors[]` lists every problem when there are several.',
  invalid_folder: 'No such folder, or the message is not a draft where only drafts may be edited.',
  invalid_mime: 'A raw message that cannot be parsed, or whose header block is ambiguous.',
  missing_required_field: 'A required field is absent (the Resend door names it so).',
  invalid_from_address: '`from` is not an email address.',
  invalid_attachment: 'An attachment without content, with content that is not bytes, or whose URL could not be fetched.',
  missing_token: 'No credential was sent: use `Authorization: Bearer <key>`.',
  invalid_token: 'The credential is wrong, forged, revoked, or belongs to a deleted address (one answer for all).',
  token_expired: 'The credential has expired: get a new one.',
  unauthorized: 'The admin or site password is missing or wrong.',
  invalid_credentials: 'A login whose email or password is wrong (one answer for both).',
  access_denied: 'The credential may not do this.',
  send_quota_exhausted: "The address's send balance is used up; an admin can grant more.",
  insufficient_credits: "The address's send balance is too low to send this email (the Sendmux-shaped paths, /emails/send and /emails/send/batch).",
  sender_not_allowed: 'The credential may not send as this address.',
  domain_not_allowed: 'The sending domain is not served here, or still awaits approval.',
  signup_disabled: 'Self-signup is turned off on this server.',
  not_found: 'No such route.',
  mailbox_not_found: 'No such mailbox, or one the credential may not read (the same answer, so nothing is revealed).',
  message_not_found: 'No such message in this mailbox.',
  attachment_not_found: 'No such attachment on this message.',
  key_not_found: 'No such API key.',
  domain_not_found: 'No such domain.',
  user_not_found: 'No such user.',
  email_not_found: 'No such sent email, or one of another sender.',
  suppression_not_found: 'No such suppressed recipient.',
  webhook_not_found: 'No such webhook endpoint.',
  webhook_delivery_not_found: 'No such webhook delivery.',
  address_taken: 'The address already exists.',
  domain_exists: 'The domain is already registered.',
  domain_in_use: 'Addresses on the domain still hold mail: delete those mailboxes before the domain.',
  domain_configured: 'The domain is in DOMAINS: take it out of the configuration before deleting it.',
  user_exists: 'A user with this email already exists.',
  method_not_allowed: 'The route exists, but not with this method.',
  not_cancellable: 'The email has already been handed to the provider.',
  webhook_disabled: 'The webhook endpoint is disabled: enable it first.',
  invalid_idempotent_request: 'This Idempotency-Key was used with another request body.',
  concurrent_idempotent_requests: 'The first request with this Idempotency-Key is still running: retry shortly.',
  payload_too_large: 'The body or message is over the size limit.',
  rate_limited: 'Too many requests: wait the seconds `Retry-After` says.',
  internal_error: 'Something failed on the server; the message carries the request id for the log.',
  delivery_failed: 'No recipient accepted the message; the Sent box has the details.',
  dns_lookup_failed: 'The DNS-over-HTTPS resolver could not be reached while checking a domain.',
  not_configured: 'A setting this request needs is missing on the server; the message says which.',
  ai_provider_error: 'The AI provider failed or refused; the message says what to check.',
  ai_not_configured: 'AI writing is not configured on this server.',
  ai_timeout: 'The AI provider did not answer in time.',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The table, as HTML. */
export function errorTableHtml(): string {
  const rows = (Object.keys(ERROR_STATUS) as ErrorCode[]).map(
    (c) => `<tr id="error-${c}"><td><code>${c}</code></td><td>${ERROR_STATUS[c]}</td><td>${isRetryable(c) ? 'yes' : 'no'}</td><td>${code(MEANING[c])}</td></tr>`,
  );
  return `<h2 id="errors">Errors</h2><p>Every error is <code>{"ok":false,"error":{"code","message","param","doc_url","retryable","errors"},"meta":{"request_id"}}</code>.</p><table><thead><tr><th>code</th><th>status</th><th>retry helps</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
