/**
 * How an error is written depends on the door it happened behind: the original API's small envelope,
 * v1's envelope with request id and `retryable`, or a compatibility door's own dialect (Resend's
 * `{ statusCode, name, message }`, the Mail API's `{ success, error, message }` …). Each door that
 * speaks another dialect registers one renderer for its path prefix; app.ts picks by path.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { errorBody, v1ErrorBody, type AppError } from '../lib/errors';

export interface ErrorDialect {
  /** Path prefix the dialect applies to, e.g. `/compat/resend/`. */
  prefix: string;
  /** The response for `err`; Retry-After is already set when the error carries one. */
  render(c: Context<AppEnv>, err: AppError): Response | Promise<Response>;
}

const v1Dialect: ErrorDialect = {
  prefix: '/api/v1/',
  render: (c, err) => c.json(v1ErrorBody(err, c.get('requestId') ?? 'unknown'), err.status),
};

/** The original API's envelope, for every path no dialect claims. */
const fallback = (c: Context<AppEnv>, err: AppError) => c.json(errorBody(err), err.status);

/** Builds the renderer app.ts uses: the longest matching prefix wins. */
export function errorRenderer(dialects: ErrorDialect[]) {
  const ordered = [...dialects, v1Dialect].sort((a, b) => b.prefix.length - a.prefix.length);
  return (c: Context<AppEnv>, err: AppError) => {
    if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
    const dialect = ordered.find((d) => c.req.path.startsWith(d.prefix));
    return dialect ? dialect.render(c, err) : fallback(c, err);
  };
}
