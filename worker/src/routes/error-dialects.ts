/**
 * How an error is written depends on the door it happened behind: the original API's small envelope,
 * v1's envelope with request id and `retryable`, or a compatibility door's own dialect (Resend's
 * `{ statusCode, name, message }`, the Mail API's `{ success, error, message }` …). Each door that
 * speaks another dialect registers one renderer for its path prefix; app.ts picks by path.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError, errorBody, v1ErrorBody } from '../lib/errors';

export interface ErrorDialect {
  /** Path prefix the dialect applies to, e.g. `/compat/resend/`. */
  prefix: string;
  /** The response for `err`; Retry-After is already set when the error carries one. */
  render(c: Context<AppEnv>, err: AppError): Response | Promise<Response>;
}

const v1Dialect: ErrorDialect = {
  prefix: '/api/v1/',
  // doc_url points at the code's row in the docs page's error table, on PUBLIC_URL when it is set.
  render: (c, err) => {
    const origin = c.get('deps')?.config.publicUrl ?? new URL(c.req.url).origin;
    const said = SENDMUX_PATHS.test(c.req.path) ? asSendmux(err) : err;
    return c.json(v1ErrorBody(said, c.get('requestId') ?? 'unknown', `${origin}/api/v1/docs`), said.status);
  },
};

/** The paths Sendmux's Sending API defines (seed 003): there, a used-up balance has Sendmux's name. */
const SENDMUX_PATHS = /^\/api\/v1\/emails\/send(\/batch)?\/?$/;

function asSendmux(err: AppError): AppError {
  if (err.code !== 'send_quota_exhausted') return err;
  return new AppError('insufficient_credits', err.message, err.param, err.retryAfter, err.errors);
}

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
