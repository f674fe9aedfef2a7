/**
 * The Resend-compatible door at /compat/resend: applications built on Resend's SDKs send through
 * Edgemail by pointing their base URL here (RESEND_BASE_URL, resend.api_url, …). A thin adapter:
 * the same credentials, per-key rate limits, idempotency, queue and rules as /api/v1; Resend's
 * request fields, answers, error names and `ratelimit-*` headers on the outside.
 */
import { Hono } from 'hono';
import type { RateDecision } from '../../../durable/rate-limiter';
import type { AppEnv } from '../../../env';
import { v1Auth } from '../../../middleware/v1-auth';
import { rateLimit } from '../../../middleware/v1-ratelimit';
import { domainRoutes } from './domains';
import { emailRoutes } from './emails';

export { RESEND_PREFIX, resendDialect } from './errors';

/** Resend's rate-limit headers (IETF draft names; reset in seconds from now). */
export function resendRateHeaders(decision: RateDecision, now: number): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(Math.max(0, Math.ceil((decision.resetAt - now) / 1000))),
  };
}

export function createResendDoor() {
  return (
    new Hono<AppEnv>()
      // `Authorization: Bearer <key>`: an API key (emk_…), a user session token (ems_…) or an address JWT.
      .use('*', v1Auth, rateLimit(resendRateHeaders))
      .route('/', emailRoutes)
      .route('/', domainRoutes)
  );
}
