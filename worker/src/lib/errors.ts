/**
 * The one error type services throw. `onError` (HTTP) and the email entry turn it into a response or
 * a rejection; the code is stable API, the message is for humans.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_folder: 400,
  invalid_mime: 400,
  /** A required request field is absent (the Resend door names it so). */
  missing_required_field: 422,
  invalid_from_address: 422,
  /** An attachment without content, with content that is not bytes, or whose URL could not be fetched. */
  invalid_attachment: 422,
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  unauthorized: 401,
  invalid_credentials: 401,
  access_denied: 403,
  send_quota_exhausted: 403,
  /** send_quota_exhausted as Sendmux names it, on its paths (/emails/send, /emails/send/batch). */
  insufficient_credits: 403,
  sender_not_allowed: 403,
  domain_not_allowed: 403,
  signup_disabled: 403,
  not_found: 404,
  mailbox_not_found: 404,
  message_not_found: 404,
  attachment_not_found: 404,
  key_not_found: 404,
  domain_not_found: 404,
  user_not_found: 404,
  email_not_found: 404,
  suppression_not_found: 404,
  webhook_not_found: 404,
  webhook_delivery_not_found: 404,
  address_taken: 409,
  domain_exists: 409,
  domain_in_use: 409,
  domain_configured: 409,
  user_exists: 409,
  method_not_allowed: 405,
  not_cancellable: 409,
  webhook_disabled: 409,
  invalid_idempotent_request: 409,
  concurrent_idempotent_requests: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  delivery_failed: 502,
  dns_lookup_failed: 502,
  not_configured: 503,
  ai_provider_error: 502,
  ai_not_configured: 503,
  ai_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export class AppError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The request field the error is about, when there is one. */
    readonly param?: string,
    /** Seconds until a retry can succeed (sent as Retry-After), for rate limits. */
    readonly retryAfter?: number,
    /** Every problem found, when there are several (a strict batch lists each item's error). */
    readonly errors?: ItemError[],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

/** One problem among several, e.g. a batch item's (`index`) validation error. */
export interface ItemError {
  index?: number;
  code: ErrorCode;
  message: string;
  param?: string;
}

/** The JSON body every error response carries. */
export interface ErrorBody {
  ok: false;
  error: { code: ErrorCode; message: string; param?: string };
}

/** Worth retrying the same request later: rate limits, server-side and upstream failures. */
export function isRetryable(code: ErrorCode): boolean {
  return (
    code === 'rate_limited' ||
    code === 'internal_error' ||
    code === 'delivery_failed' ||
    code === 'dns_lookup_failed' ||
    code === 'ai_provider_error' ||
    code === 'ai_timeout' ||
    code === 'concurrent_idempotent_requests'
  );
}

export function errorBody(err: AppError): ErrorBody {
  return { ok: false, error: { code: err.code, message: err.message, ...(err.param ? { param: err.param } : {}) } };
}

/**
 * The /api/v1 error envelope: adds whether a retry can help, every item error when there are
 * several, and the request id. `success` mirrors `ok` for clients written against that name.
 */
export function v1ErrorBody(err: AppError, requestId: string, docsUrl: string) {
  const { error } = errorBody(err);
  return {
    ok: false as const,
    success: false as const,
    error: { ...error, doc_url: `${docsUrl}#error-${err.code}`, retryable: isRetryable(err.code), ...(err.errors ? { errors: err.errors } : {}) },
    meta: { request_id: requestId },
  };
}
