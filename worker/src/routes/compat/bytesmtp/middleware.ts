/**
 * What every ByteSMTP request goes through besides authentication (the v1 credentials, see
 * middleware/v1-auth.ts): the per-endpoint hourly limits the API publishes, and the mailbox the
 * request acts on.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../env';
import { AppError } from '../../../lib/errors';
import { mailboxFor } from '../../../services/mailbox-access';
import { enforceLimit, HOUR_MS } from '../../../services/rate-limit';

export type LimitedEndpoint = 'send' | 'inbox' | 'read' | 'delete';

const ENDPOINT: Record<LimitedEndpoint, string> = {
  send: 'POST /api/send',
  inbox: 'GET /api/inbox',
  read: 'GET /api/message/{uid}',
  delete: 'DELETE /api/message/{uid}',
};

/**
 * Counts the request against the caller's hourly budget for this endpoint (BYTESMTP_*_PER_HOUR),
 * per key (or address token, or session): 429 with Retry-After past it. POST /api/ai/generate has no
 * such middleware: the AI service counts AI_RATE_PER_HOUR itself, once, for every door.
 */
export const hourlyLimit = (endpoint: LimitedEndpoint) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { deps, principal } = c.var;
    const max = deps.config.bytesmtpRateLimits[endpoint];
    await enforceLimit(deps, { name: `${principal.rateKey}:bytesmtp:${endpoint}`, max, windowMs: HOUR_MS, describe: `${max} ${ENDPOINT[endpoint]} requests per hour` });
    await next();
  });

/**
 * Sets `c.var.mailbox`. ByteSMTP keys belong to one mailbox, and so do Edgemail's mailbox keys and
 * address tokens: they act on their own. Admin keys and user sessions reach several mailboxes, which
 * ByteSMTP has no parameter for, so they name one in `?mailbox=` or an `X-Mailbox` header. A mailbox
 * the caller may not read is "not found", like one that does not exist.
 */
export const actingMailbox = createMiddleware<AppEnv>(async (c, next) => {
  const { deps, principal } = c.var;
  const named = c.req.query('mailbox')?.trim() || c.req.header('x-mailbox')?.trim();
  let address: string;
  if (named) address = named;
  else if (principal.kind === 'mailbox') address = principal.address;
  else {
    const who = principal.kind === 'admin' ? 'An admin key' : 'An account session';
    throw new AppError('validation_failed', `${who} reaches several mailboxes: name one with ?mailbox=<address> or an X-Mailbox header.`, 'mailbox');
  }
  c.set('mailbox', await mailboxFor(deps, principal, address));
  await next();
});
