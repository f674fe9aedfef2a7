/**
 * Request and failure counters, one Durable Object per key (an API key and endpoint class, or a
 * client address for admin logins). Durable Objects are single-instance worldwide, so a count holds
 * across every Worker isolate and location.
 */
import { DurableObject } from 'cloudflare:workers';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends, ms since epoch. */
  resetAt: number;
}

export interface FailureDecision {
  /** Too many failures in the window: refuse this attempt whatever its outcome. */
  blocked: boolean;
  /** When the block ends, ms since epoch (0 when not blocked). */
  blockedUntil: number;
}

export class RateLimiter extends DurableObject {
  private windowStart = 0;
  private count = 0;
  private failureWindowStart = 0;
  private failures = 0;

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

  /**
   * Records one credential check. Once `limit` failures happened within `windowMs` of the first,
   * every attempt is refused until that window ends, a correct one included: otherwise the answer
   * would still tell a guesser when it found the password. The window starts at the first failure.
   */
  async attempt(failed: boolean, limit: number, windowMs: number, now: number): Promise<FailureDecision> {
    if (this.failures > 0 && now >= this.failureWindowStart + windowMs) this.failures = 0;
    if (this.failures >= limit) return { blocked: true, blockedUntil: this.failureWindowStart + windowMs };
    if (failed) {
      if (this.failures === 0) this.failureWindowStart = now;
      this.failures++;
    }
    return { blocked: false, blockedUntil: 0 };
  }
}
