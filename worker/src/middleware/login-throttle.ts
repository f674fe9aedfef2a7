/**
 * Log-in attempts per account, counted in the RateLimiter Durable Object (consistent across
 * isolates): at most LOGIN_ATTEMPTS per LOGIN_WINDOW_MS for one email, whoever tries. PBKDF2 makes
 * each guess slow; this caps how many an attacker gets.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';

export const LOGIN_ATTEMPTS = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export async function throttleLogin(c: Context<AppEnv>, email: string): Promise<void> {
  const key = `login:${email.trim().toLowerCase()}`;
  const now = c.var.deps.clock.now();
  const decision = await c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key)).hit(LOGIN_ATTEMPTS, LOGIN_WINDOW_MS, now);
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil((decision.resetAt - now) / 1000));
    throw new AppError('rate_limited', `Too many log-in attempts for this account; retry in ${retryAfter} s.`, 'email', retryAfter);
  }
}
