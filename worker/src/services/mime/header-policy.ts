/**
 * Which custom headers a sender may add through an API's `headers` field. Refused: what the builder
 * writes itself, what shapes the MIME structure, what only receiving or relaying servers add (a
 * sender forging them misleads the recipient's filters), resending, and read-receipt requests.
 * Every door that takes custom headers asks here, so they all refuse the same names.
 */

const BUILDER_OWNED = new Set([
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to',
  'references', 'mime-version',
]);

// Trace (RFC 5321), delivery and authentication results (RFC 8601, SPF, DKIM, ARC).
const TRACE = new Set([
  'received', 'return-path', 'delivered-to', 'x-original-to', 'envelope-to', 'authentication-results',
  'received-spf', 'dkim-signature', 'domainkey-signature', 'arc-seal', 'arc-message-signature',
  'arc-authentication-results',
]);

const RECEIPTS = new Set(['disposition-notification-to', 'disposition-notification-options', 'return-receipt-to']);

/** Header names RFC 5322 and MIME make syntactically valid: printable ASCII without `:`. */
export const HEADER_NAME = /^[!-9;-~]{1,76}$/;

/** Why `name` may not be a custom header, or null when it may. Case-insensitive. */
export function customHeaderProblem(name: string): string | null {
  if (!HEADER_NAME.test(name)) return 'header names must be 1-76 printable ASCII characters without ":"';
  const lower = name.toLowerCase();
  if (BUILDER_OWNED.has(lower)) return `${name} is set by the server (from the token and the request's own fields)`;
  if (lower.startsWith('content-')) return `${name} would change the message's MIME structure; use the body and attachment fields`;
  if (lower.startsWith('resent-')) return `${name} belongs to resending an existing message, not to a new one`;
  if (TRACE.has(lower)) return `${name} is added by receiving servers; a sender may not set it`;
  if (RECEIPTS.has(lower)) return `${name} (read-receipt requests) is not supported`;
  return null;
}

// A word (run without whitespace) longer than this cannot be folded under RFC 5322's 998-octet line
// limit next to a long header name, and encoding it would change what a structured header means.
const MAX_HEADER_WORD = 900;

/** Why `value` may not be a custom header's value, or null when it may. */
export function customHeaderValueProblem(value: string): string | null {
  if (/[\r\n\0]/.test(value)) return 'header values must not contain line breaks';
  if (value.split(/[\t ]+/).some((word) => word.length > MAX_HEADER_WORD)) {
    return `header values must not contain a word longer than ${MAX_HEADER_WORD} characters (the line could not be folded)`;
  }
  return null;
}
