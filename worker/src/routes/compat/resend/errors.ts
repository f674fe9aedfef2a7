/**
 * Every error behind /compat/resend/ in Resend's shape, `{ statusCode, name, message }`, with Resend's
 * error names and statuses, so SDKs surface them as `{ data: null, error }` exactly as with Resend.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../../env';
import { AppError, type ErrorCode } from '../../../lib/errors';
import type { ErrorDialect } from '../../error-dialects';

export const RESEND_PREFIX = '/compat/resend';

type Named = [name: string, status: number];

const NAMES: Partial<Record<ErrorCode, Named>> = {
  // Resend answers a field it cannot use with 422 validation_error.
  validation_failed: ['validation_error', 422],
  invalid_mime: ['validation_error', 422],
  missing_required_field: ['missing_required_field', 422],
  invalid_from_address: ['invalid_from_address', 422],
  invalid_attachment: ['invalid_attachment', 422],
  // A message that is already on its way can no longer be changed.
  not_cancellable: ['validation_error', 422],
  missing_token: ['missing_api_key', 401],
  invalid_token: ['invalid_api_key', 403],
  token_expired: ['invalid_api_key', 403],
  invalid_credentials: ['invalid_api_key', 403],
  unauthorized: ['invalid_api_key', 403],
  // Mailbox keys and address tokens only send: Resend's "sending access" keys.
  access_denied: ['restricted_api_key', 401],
  // Sending from an address or domain the key may not use: Resend's 403 for unverified domains.
  sender_not_allowed: ['validation_error', 403],
  domain_not_allowed: ['validation_error', 403],
  send_quota_exhausted: ['monthly_quota_exceeded', 429],
  rate_limited: ['rate_limit_exceeded', 429],
  not_found: ['not_found', 404],
  email_not_found: ['not_found', 404],
  domain_not_found: ['not_found', 404],
  mailbox_not_found: ['not_found', 404],
  method_not_allowed: ['method_not_allowed', 405],
  invalid_idempotent_request: ['invalid_idempotent_request', 409],
  concurrent_idempotent_requests: ['concurrent_idempotent_requests', 409],
  payload_too_large: ['validation_error', 413],
};

/** Resend's name and status for one of our errors. */
export function resendName(code: ErrorCode, status: number, param?: string): Named {
  // The sending service refuses a malformed key the way it refuses any field; Resend has its own name.
  if (code === 'validation_failed' && param === 'Idempotency-Key') return ['invalid_idempotency_key', 400];
  return NAMES[code] ?? (status >= 500 ? ['application_error', status] : ['validation_error', status]);
}

/** The body Resend sends for an error; a strict batch reports the first invalid email, as Resend does. */
export function resendErrorBody(err: AppError) {
  const first = err.errors?.[0];
  if (first) {
    const [name, statusCode] = resendName(first.code, err.status, first.param);
    const where = first.index === undefined ? '' : `emails[${first.index}]: `;
    return { statusCode, name, message: `${where}${first.message}` };
  }
  const [name, statusCode] = resendName(err.code, err.status, err.param);
  return { statusCode, name, message: err.message };
}

export const resendDialect: ErrorDialect = {
  prefix: `${RESEND_PREFIX}/`,
  render: (c, err) => {
    const body = resendErrorBody(err);
    return c.json(body, body.statusCode as 400);
  },
};

/** The handler for a known path asked with a method it does not take (405 with Allow). */
export const methodNotAllowed = (allowed: string) => (c: Context<AppEnv>) => {
  c.header('Allow', allowed);
  throw new AppError('method_not_allowed', `Method ${c.req.method} is not allowed here; use ${allowed}.`);
};
