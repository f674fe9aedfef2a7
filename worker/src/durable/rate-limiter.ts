/**
 * A fixed-window request counter, one Durable Object per (key, endpoint class). Durable Objects are
 * single-instance worldwide, so the count holds across every Worker isolate and location.
 */
import { DurableObject } from 'cloudflare:workers';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends, ms since epoch. */
  resetAt: number;
}

export class RateLimiter extends DurableObject {
  private windowStart = 0;
  private count = 0;

  /** Counts one request against `limit` per `windowMs`; refused requests are not counted. */
  async hit(limit: number, windowMs: number, now: number): Promise<RateDecision> {
    if (now >= this.windowStart + windowMs) {
      this.windowStart = now - (now % windowMs);
      this.count = 0;
    }
    const resetAt = this.windowStart + windowMs;
    if (this.count >= limit) return { allowed: false, limit, remaining: 0, resetAt };
    this.count++;
    return { allowed: true, limit, remaining: limit - this.count, resetAt };
  }
}
