/**
 * ByteSMTP's error shape, `{ "ok": false, "error": "<description>" }`, for everything behind
 * /compat/bytesmtp (registered in app.ts). Beside it: `code`, the stable Edgemail error code, so a
 * program can tell a rate limit from a bad key without parsing prose, and `param`, the request field
 * at fault when there is one. ByteSMTP clients ignore both.
 */
import type { ErrorDialect } from '../../error-dialects';

export const BYTESMTP_PREFIX = '/compat/bytesmtp';

export const bytesmtpDialect: ErrorDialect = {
  prefix: `${BYTESMTP_PREFIX}/`,
  render: (c, err) => c.json({ ok: false as const, error: err.message, code: err.code, ...(err.param ? { param: err.param } : {}) }, err.status),
};
