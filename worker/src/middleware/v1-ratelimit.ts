/**
 * Per-key rate limits for /api/v1, counted in the RateLimiter Durable Object so they hold across
 * isolates. Every response carries X-RateLimit-*; past the limit the answer is 429 with Retry-After.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';

export type EndpointClass = 'read' | 'write' | 'search';

const WINDOW_MS = 60_000;

export function endpointClass(method: string, path: string): EndpointClass {
  if (/\/search$/.test(path)) return 'search';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

export const v1RateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const cls = endpointClass(c.req.method, c.req.path);
  const limit = c.var.deps.config.v1RateLimits[cls];
  if (limit === 0) return next();
  const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`${c.var.principal.rateKey}:${cls}`));
  const now = c.var.deps.clock.now();
  const decision = await stub.hit(limit, WINDOW_MS, now);
  const headers = {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAt / 1000)),
  };
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil((decision.resetAt - now) / 1000));
    throw new AppError('rate_limited', `Rate limit of ${limit} ${cls} requests per minute reached.`, undefined, retryAfter);
  }
  await next();
});
