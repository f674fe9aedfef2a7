/**
 * The three credentials: the optional site password (`x-custom-auth`), the admin password
 * (`x-admin-auth`), and an address JWT (Bearer header, or a body field on /external).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { matchesAny } from '../lib/secrets';
import { recordActivity } from '../services/addresses';
import { isAdminSession, verifyAddressToken } from '../services/tokens';

/** When PASSWORDS is set, every API call must carry one of them in `x-custom-auth`. */
export const requireSitePassword = createMiddleware<AppEnv>(async (c, next) => {
  const { sitePasswords } = c.var.deps.config;
  if (sitePasswords.length > 0 && !(await matchesAny(c.req.header('x-custom-auth'), sitePasswords))) {
    throw new AppError('unauthorized', 'This site requires a password in the x-custom-auth header.');
  }
  await next();
});

// The window, from a client address's first wrong admin password, in which failures are counted.
const ADMIN_FAILURE_WINDOW_MS = 60_000;

/**
 * Checks an admin password (`x-admin-auth`), counting failures per client address in the
 * RateLimiter Durable Object: past `ADMIN_AUTH_FAILURES_PER_MINUTE` that address gets 429 with
 * Retry-After, right password or not, until the minute is over. Other addresses are unaffected.
 */
export async function checkAdminPassword(c: Context<AppEnv>, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  const { deps } = c.var;
  const ok = await matchesAny(presented, deps.config.adminPasswords);
  const limit = deps.config.adminAuthFailuresPerMinute;
  if (limit === 0) return ok;
  // Cloudflare sets CF-Connecting-IP on every request and overwrites whatever a client sent.
  const client = c.req.header('cf-connecting-ip') ?? 'unknown';
  const counter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`admin-auth:${client}`));
  const now = deps.clock.now();
  const decision = await counter.attempt(!ok, limit, ADMIN_FAILURE_WINDOW_MS, now);
  if (decision.blocked) {
    const retryAfter = Math.max(1, Math.ceil((decision.blockedUntil - now) / 1000));
    throw new AppError('rate_limited', `Too many wrong admin passwords from your address; retry in ${retryAfter} s.`, undefined, retryAfter);
  }
  return ok;
}

/** The admin password (`x-admin-auth`) or an admin session token from POST /admin/session (`x-admin-token`). */
export async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  // A session token is a signature no one can guess, so only passwords go through the throttle.
  return (await isAdminSession(c.var.deps, c.req.header('x-admin-token'))) || (await checkAdminPassword(c, c.req.header('x-admin-auth')));
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await isAdmin(c))) {
    throw new AppError('unauthorized', 'Admin password (x-admin-auth) or session token (x-admin-token) missing or wrong.');
  }
  await next();
});

/** Resolves the Bearer address JWT to its mailbox (`c.var.mailbox`). */
export const requireAddress = createMiddleware<AppEnv>(async (c, next) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  if (!match) throw new AppError('missing_token', 'Send the address token as "Authorization: Bearer <jwt>".');
  const { deps } = c.var;
  const mailbox = await verifyAddressToken(deps, match[1]!);
  c.set('mailbox', mailbox);
  c.executionCtx.waitUntil(recordActivity(deps, mailbox));
  await next();
});
