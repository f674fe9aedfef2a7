/**
 * Per-key rate limits for /api/v1, counted in the RateLimiter Durable Object so they hold across
 * isolates. Every response carries X-RateLimit-*; past the limit the answer is 429 with Retry-After.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { checkLimit, limitExceeded, MINUTE_MS, rateLimitHeaders } from '../services/rate-limit';

export type EndpointClass = 'read' | 'write' | 'search';

export function endpointClass(method: string, path: string): EndpointClass {
  if (/\/search$/.test(path)) return 'search';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

export const v1RateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const cls = endpointClass(c.req.method, c.req.path);
  const { deps, principal } = c.var;
  const limit = { name: `${principal.rateKey}:${cls}`, max: deps.config.v1RateLimits[cls], windowMs: MINUTE_MS, describe: `${deps.config.v1RateLimits[cls]} ${cls} requests per minute` };
  const decision = await checkLimit(deps, limit);
  if (!decision) return next();
  for (const [k, v] of Object.entries(rateLimitHeaders(decision))) c.header(k, v);
  if (!decision.allowed) throw limitExceeded(limit, decision, deps.clock.now());
  await next();
});
