/**
 * Who may call the Mail API door, and how often: the token comes only in `X-MAILAPI-TOKEN` (an admin
 * API key, a mailbox key, a user's session token or an address JWT — resolved exactly as /api/v1
 * does), and each token gets MAILAPI_RATE_PER_MINUTE and MAILAPI_RATE_PER_HOUR requests, counted in
 * the RateLimiter Durable Object so the limits hold across isolates.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../env';
import { AppError } from '../../../lib/errors';
import { principalForToken } from '../../../middleware/v1-auth';
import { checkLimit, HOUR_MS, limitExceeded, MINUTE_MS, rateLimitHeaders, type Limit } from '../../../services/rate-limit';
import type { RateDecision } from '../../../durable/rate-limiter';

/** The presented token, for handlers that describe it (/tokens/me). */
export function presentedMailApiToken(header: string | undefined): string | null {
  return header?.trim() || null;
}

export const mailApiAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = presentedMailApiToken(c.req.header('x-mailapi-token'));
  if (!token) throw new AppError('missing_token', 'Send your API token in the X-MAILAPI-TOKEN header.');
  c.set('principal', await principalForToken(c, token));
  // Authenticated answers are per-caller: never cache them in shared caches.
  c.header('Cache-Control', 'no-store');
  await next();
});

/** Both windows are counted on every request; the headers show whichever is closer to its limit. */
export const mailApiRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const { deps, principal } = c.var;
  const { perMinute, perHour } = deps.config.mailApiRateLimits;
  const limits: Limit[] = [
    { name: `mailapi:${principal.rateKey}:minute`, max: perMinute, windowMs: MINUTE_MS, describe: `${perMinute} requests per minute` },
    { name: `mailapi:${principal.rateKey}:hour`, max: perHour, windowMs: HOUR_MS, describe: `${perHour} requests per hour` },
  ];
  let tightest: RateDecision | null = null;
  for (const limit of limits) {
    const decision = await checkLimit(deps, limit);
    if (!decision) continue;
    if (!decision.allowed) {
      for (const [k, v] of Object.entries(rateLimitHeaders(decision))) c.header(k, v);
      throw limitExceeded(limit, decision, deps.clock.now());
    }
    if (!tightest || decision.remaining < tightest.remaining) tightest = decision;
  }
  if (tightest) for (const [k, v] of Object.entries(rateLimitHeaders(tightest))) c.header(k, v);
  await next();
});
