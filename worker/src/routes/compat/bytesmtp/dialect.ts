/**
 * ByteSMTP's error shape, `{ "ok": false, "error": "<description>" }`, for everything behind
 * /compat/bytesmtp (registered in app.ts). `code` is added beside it: the stable Edgemail error code,
 * so a program can tell a rate limit from a bad key without parsing prose; ByteSMTP clients ignore it.
 */
import type { ErrorDialect } from '../../error-dialects';

export const BYTESMTP_PREFIX = '/compat/bytesmtp';

export const bytesmtpDialect: ErrorDialect = {
  prefix: `${BYTESMTP_PREFIX}/`,
  render: (c, err) => c.json({ ok: false as const, error: err.message, code: err.code }, err.status),
};
