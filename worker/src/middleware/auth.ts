/**
 * The credentials of the web UI API: the optional site password (`x-custom-auth`), the admin
 * password (`x-admin-auth`), an address JWT (Bearer header, or a body field on /external), and a
 * user's session token (Bearer `ems_…` with the mailbox named in `X-Mailbox`).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { matchesAny } from '../lib/secrets';
import type { AddressRow } from '../db/schema';
import { resolveSession, SESSION_PREFIX } from '../services/accounts/sessions';
import { authorizeSender } from '../services/accounts/access';
import { findAddress, recordActivity } from '../services/addresses';
import { mailboxFor } from '../services/folders';
import type { Principal } from '../services/principal';
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

/**
 * Resolves the caller to a mailbox (`c.var.mailbox`) and principal (`c.var.principal`): an address
 * JWT is its own mailbox; a session token acts on the mailbox named in `X-Mailbox` when the user may
 * read it (`read`: own, or view_mailbox on its domain) or send as it (`send`: own, or send_mail).
 * A mailbox the user may not use is "not found" (reading) or `sender_not_allowed` (sending).
 */
function mailboxAuth(mode: 'read' | 'send') {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw new AppError('missing_token', 'Send the address token as "Authorization: Bearer <jwt>".');
    const { deps } = c.var;
    const token = match[1]!;
    let mailbox: AddressRow;
    let principal: Principal;
    if (token.startsWith(SESSION_PREFIX)) {
      const { user, session } = await resolveSession(deps, token, (work) => c.executionCtx.waitUntil(work));
      principal = { kind: 'user', userId: user.id, email: user.email, sessionId: session.id, keyId: null, rateKey: `session:${session.id}` };
      const wanted = c.req.header('x-mailbox');
      if (!wanted) throw new AppError('validation_failed', 'With a session token, name the mailbox in the X-Mailbox header.', 'x-mailbox');
      if (mode === 'read') mailbox = await mailboxFor(deps, principal, wanted);
      else {
        await authorizeSender(deps, principal, wanted);
        mailbox = await findAddress(deps, wanted);
      }
    } else {
      mailbox = await verifyAddressToken(deps, token);
      principal = { kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: null, rateKey: `jwt:${mailbox.id}` };
      if (mode === 'send') await authorizeSender(deps, principal, mailbox.address);
    }
    c.set('principal', principal);
    c.set('mailbox', mailbox);
    c.executionCtx.waitUntil(recordActivity(deps, mailbox));
    await next();
  });
}

/** A mailbox the caller may read. */
export const requireAddress = mailboxAuth('read');
/** A mailbox the caller may send as (its domain active). */
export const requireSender = mailboxAuth('send');
