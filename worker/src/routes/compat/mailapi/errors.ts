/**
 * The Mail API's error dialect: `{ "success": false, "error": "CODE", "message": "…" }`. One table
 * maps our error codes to the guide's codes and statuses; a code the guide has no name for keeps ours,
 * upper-cased, with our status (VALIDATION_FAILED 400, RATE_LIMITED 429, DOMAIN_EXISTS 409 …).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../../env';
import type { AppError, ErrorCode } from '../../../lib/errors';
import { MailboxOutOfReach } from '../../../services/mailbox-access';
import type { ErrorDialect } from '../../error-dialects';

export const MAILAPI_PREFIX = '/compat/mailapi';

/** The guide's codes, with the status it gives each. IMAP_ERROR has no counterpart: there is no IMAP here. */
export type MailApiCode =
  | 'NO_API_TOKEN'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'ACCESS_DENIED'
  | 'DOMAIN_NOT_ALLOWED'
  | 'SENDER_NOT_AUTHORIZED'
  | 'MAILBOX_NOT_FOUND'
  | 'MESSAGE_NOT_FOUND'
  | 'INVALID_FOLDER'
  | 'SEND_FAILED';

const SEED: Record<MailApiCode, number> = {
  NO_API_TOKEN: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  ACCESS_DENIED: 403,
  DOMAIN_NOT_ALLOWED: 403,
  SENDER_NOT_AUTHORIZED: 403,
  MAILBOX_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  INVALID_FOLDER: 400,
  SEND_FAILED: 500,
};

/** Our codes that the guide names. Partial on purpose: new codes elsewhere fall back, never break this door. */
export const CODE_MAP: Partial<Record<ErrorCode, MailApiCode>> = {
  missing_token: 'NO_API_TOKEN',
  invalid_token: 'INVALID_TOKEN',
  token_expired: 'TOKEN_EXPIRED',
  access_denied: 'ACCESS_DENIED',
  domain_not_allowed: 'DOMAIN_NOT_ALLOWED',
  sender_not_allowed: 'SENDER_NOT_AUTHORIZED',
  mailbox_not_found: 'MAILBOX_NOT_FOUND',
  message_not_found: 'MESSAGE_NOT_FOUND',
  // The outbound record: /mail/{message_id}/status of an id the token cannot see.
  email_not_found: 'MESSAGE_NOT_FOUND',
  invalid_folder: 'INVALID_FOLDER',
  delivery_failed: 'SEND_FAILED',
};

/** The code and status a client of the guide sees for `err` on `path`. */
export function mailApiError(err: AppError, path: string): { code: string; status: number; message?: string } {
  if (err instanceof MailboxOutOfReach) return { code: 'ACCESS_DENIED', status: SEED.ACCESS_DENIED, message: 'This token has no access to that mailbox.' };
  // A send the server could not take (storage or queue trouble) is the guide's SEND_FAILED.
  if (err.code === 'internal_error' && path.endsWith('/mail/send')) return { code: 'SEND_FAILED', status: SEED.SEND_FAILED };
  const mapped = CODE_MAP[err.code];
  return mapped ? { code: mapped, status: SEED[mapped] } : { code: err.code.toUpperCase(), status: err.status };
}

function render(c: Context<AppEnv>, err: AppError): Response {
  const { code, status, message } = mailApiError(err, c.req.path);
  return c.json({ success: false, error: code, message: message ?? err.message }, status as ContentfulStatusCode);
}

/** Registered in app.ts: every error behind /compat/mailapi/ is written this way. */
export const mailApiDialect: ErrorDialect = { prefix: `${MAILAPI_PREFIX}/`, render };
