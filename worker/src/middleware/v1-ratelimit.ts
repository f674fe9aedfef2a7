/**
 * Per-key rate limits for /api/v1 (and the compatibility doors, which share its budget), counted in
 * the RateLimiter Durable Object so they hold across isolates. Every response carries the limit's
 * headers, in the door's own naming; past the limit the answer is 429 with Retry-After.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { RateDecision } from '../durable/rate-limiter';
import type { AppEnv } from '../env';
import { isUnconfirmed } from '../services/principal';
import { checkLimit, limitExceeded, MINUTE_MS, rateLimitHeaders } from '../services/rate-limit';

export type EndpointClass = 'read' | 'write' | 'search';

export function endpointClass(method: string, path: string): EndpointClass {
  if (/\/search$/.test(path)) return 'search';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** The per-minute limits of /api/v1 by endpoint class; `headers` names them as the door's clients expect. */
export function rateLimit(headers: (decision: RateDecision, now: number) => Record<string, string> = rateLimitHeaders) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // A token or key not yet checked against its row is limited by its route once it is
    // (`settlePrincipal`), so a rotated token or revoked key cannot spend anyone's budget.
    if (!isUnconfirmed(c.var.principal)) await enforceRateLimit(c, headers);
    await next();
  });
}

/** Counts this request against the principal's per-minute limit; past it, 429 with Retry-After. */
export async function enforceRateLimit(c: Context<AppEnv>, headers: (decision: RateDecision, now: number) => Record<string, string> = rateLimitHeaders): Promise<void> {
  const cls = endpointClass(c.req.method, c.req.path);
  const { deps, principal } = c.var;
  const limit = { name: `${principal.rateKey}:${cls}`, max: deps.config.v1RateLimits[cls], windowMs: MINUTE_MS, describe: `${deps.config.v1RateLimits[cls]} ${cls} requests per minute` };
  const decision = await checkLimit(deps, limit);
  if (!decision) return;
  const now = deps.clock.now();
  for (const [k, v] of Object.entries(headers(decision, now))) c.header(k, v);
  if (!decision.allowed) throw limitExceeded(limit, decision, now);
}

export const v1RateLimit = rateLimit();
