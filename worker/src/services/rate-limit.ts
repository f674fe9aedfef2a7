/**
 * Named request limits counted in the RateLimiter Durable Object, for every door: the v1 per-minute
 * classes, the AI hourly limit, and per-endpoint hourly limits of compatibility doors. Services and
 * middleware call `enforceLimit`; a refusal is a typed 429 with Retry-After.
 */
import type { RateDecision } from '../durable/rate-limiter';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface Limit {
  /** Who and what is counted, e.g. `key:12:ai`; one counter per distinct name. */
  name: string;
  /** Requests per window; 0 means unlimited. */
  max: number;
  windowMs: number;
  /** For the 429 message: "50 AI requests per hour". */
  describe: string;
}

/** Counts one request against the limit (refused requests are not counted). Null when unlimited. */
export async function checkLimit(deps: Pick<Deps, 'rateLimiter' | 'clock'>, limit: Limit): Promise<RateDecision | null> {
  if (limit.max === 0) return null;
  const stub = deps.rateLimiter.get(deps.rateLimiter.idFromName(limit.name));
  return stub.hit(limit.max, limit.windowMs, deps.clock.now());
}

/** The 429 for a refused decision, with Retry-After in whole seconds. */
export function limitExceeded(limit: Limit, decision: RateDecision, now: number): AppError {
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt - now) / 1000));
  return new AppError('rate_limited', `Rate limit of ${limit.describe} reached; retry in ${retryAfter} s.`, undefined, retryAfter);
}

/** Counts one request; throws `rate_limited` past the limit. */
export async function enforceLimit(deps: Pick<Deps, 'rateLimiter' | 'clock'>, limit: Limit): Promise<RateDecision | null> {
  const decision = await checkLimit(deps, limit);
  if (decision && !decision.allowed) throw limitExceeded(limit, decision, deps.clock.now());
  return decision;
}

/** Standard X-RateLimit-* headers for a decision. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAt / 1000)),
  };
}
