/**
 * The credentials of the web UI API: the optional site password (`x-custom-auth`), the admin
 * password (`x-admin-auth`), an address JWT (Bearer header, or a body field on /external), and a
 * user's session token (Bearer `ems_…` with the mailbox named in `X-Mailbox`).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { clientKey } from '../lib/ip';
import { matchesAny } from '../lib/secrets';
import type { AddressRow } from '../db/schema';
import { resolveSession, SESSION_PREFIX } from '../services/accounts/sessions';
import { authorizeSender } from '../services/accounts/access';
import { findAddress, recordActivity } from '../services/addresses';
import { mailboxFor } from '../services/mailbox-access';
import type { MailboxReader } from '../services/mailbox';
import type { Principal } from '../services/principal';
import { isAdminSession, verifyAddressSignature, verifyAddressToken, type AddressTokenClaims } from '../services/tokens';

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
  const ip = c.req.header('cf-connecting-ip');
  const client = ip ? clientKey(ip) : 'unknown';
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

declare module 'hono' {
  interface ContextVariableMap {
    /** A Bearer address token whose signature holds, not yet checked against its address (`requireMailboxReader`). */
    addressToken: AddressTokenClaims;
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new AppError('missing_token', 'Send the address token as "Authorization: Bearer <jwt>".');
  return match[1]!;
}

/** Records use of a mailbox (at most hourly; services/addresses.ts decides from the row in hand). */
function touch(c: Context<AppEnv>, mailbox: AddressRow): void {
  c.executionCtx.waitUntil(recordActivity(c.var.deps, mailbox));
}

/** Resolves a session token and the mailbox it names in `X-Mailbox`, for reading or sending. */
async function sessionMailbox(c: Context<AppEnv>, token: string, mode: 'read' | 'send'): Promise<{ principal: Principal; mailbox: AddressRow }> {
  const { deps } = c.var;
  const { user, session } = await resolveSession(deps, token, (work) => c.executionCtx.waitUntil(work));
  const principal: Principal = { kind: 'user', userId: user.id, email: user.email, sessionId: session.id, keyId: null, rateKey: `session:${session.id}` };
  const wanted = c.req.header('x-mailbox');
  if (!wanted) throw new AppError('validation_failed', 'With a session token, name the mailbox in the X-Mailbox header.', 'x-mailbox');
  if (mode === 'read') return { principal, mailbox: await mailboxFor(deps, principal, wanted) };
  await authorizeSender(deps, principal, wanted);
  return { principal, mailbox: await findAddress(deps, wanted) };
}

/**
 * Resolves the caller to a mailbox (`c.var.mailbox`) and principal (`c.var.principal`): an address
 * JWT is its own mailbox; a session token acts on the mailbox named in `X-Mailbox` when the user may
 * read it (`read`: own, or view_mailbox on its domain) or send as it (`send`: own, or send_mail).
 * A mailbox the user may not use is "not found" (reading) or `sender_not_allowed` (sending).
 */
function mailboxAuth(mode: 'read' | 'send') {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { deps } = c.var;
    const token = bearerToken(c.req.header('authorization'));
    let mailbox: AddressRow;
    let principal: Principal;
    if (token.startsWith(SESSION_PREFIX)) {
      ({ principal, mailbox } = await sessionMailbox(c, token, mode));
    } else {
      mailbox = await verifyAddressToken(deps, token);
      principal = { kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: null, rateKey: `jwt:${mailbox.id}`, row: mailbox };
      if (mode === 'send') await authorizeSender(deps, principal, mailbox.address);
    }
    c.set('principal', principal);
    c.set('mailbox', mailbox);
    touch(c, mailbox);
    await next();
  });
}

/** A mailbox the caller may read. */
export const requireAddress = mailboxAuth('read');
/** A mailbox the caller may send as (its domain active). */
export const requireSender = mailboxAuth('send');

/**
 * `requireAddress` for the hottest reads (the first page of a mailbox): for an address JWT it checks
 * the signature and expiry here and leaves the check against the address row (rotation, deletion) to
 * the route's service, which reads that row in the same D1 round trip as the page and fails with the
 * same 401 before anything is returned (the route then sets `c.var.mailbox`). A session token is
 * resolved in full, as `requireAddress` does.
 */
export const requireMailboxReader = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'));
  if (token.startsWith(SESSION_PREFIX)) {
    const { principal, mailbox } = await sessionMailbox(c, token, 'read');
    c.set('principal', principal);
    c.set('mailbox', mailbox);
  } else {
    c.set('addressToken', await verifyAddressSignature(c.var.deps, token));
  }
  await next();
  const mailbox = c.get('mailbox');
  if (mailbox) touch(c, mailbox);
});

/** Who a `requireMailboxReader` route reads for: the resolved mailbox, or the token still to check. */
export function mailboxReader(c: Context<AppEnv>): MailboxReader {
  const token = c.get('addressToken');
  return token ? { token } : { mailbox: c.var.mailbox };
}
