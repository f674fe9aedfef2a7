/**
 * The three credentials: the optional site password (`x-custom-auth`), the admin password
 * (`x-admin-auth`), and an address JWT (Bearer header, or a body field on /external).
 */
import { createMiddleware } from 'hono/factory';
import { touchAddress } from '../db/addresses';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { matchesAny } from '../lib/secrets';
import type { Deps } from '../services/deps';
import { isAdminSession, verifyAddressToken } from '../services/tokens';

/** When PASSWORDS is set, every API call must carry one of them in `x-custom-auth`. */
export const requireSitePassword = createMiddleware<AppEnv>(async (c, next) => {
  const { sitePasswords } = c.var.deps.config;
  if (sitePasswords.length > 0 && !(await matchesAny(c.req.header('x-custom-auth'), sitePasswords))) {
    throw new AppError('unauthorized', 'This site requires a password in the x-custom-auth header.');
  }
  await next();
});

export async function isAdminPassword(deps: Deps, header: string | undefined): Promise<boolean> {
  return matchesAny(header, deps.config.adminPasswords);
}

/** The admin password (`x-admin-auth`) or an admin session token from POST /admin/session (`x-admin-token`). */
export async function isAdmin(deps: Deps, headers: { password?: string; session?: string }): Promise<boolean> {
  return (await isAdminPassword(deps, headers.password)) || (await isAdminSession(deps, headers.session));
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await isAdmin(c.var.deps, { password: c.req.header('x-admin-auth'), session: c.req.header('x-admin-token') }))) {
    throw new AppError('unauthorized', 'Admin password (x-admin-auth) or session token (x-admin-token) missing or wrong.');
  }
  await next();
});

// Recording activity on every read would turn reads into writes; once an hour is plenty for TTLs.
const ACTIVITY_RESOLUTION_MS = 3_600_000;

/** Resolves the Bearer address JWT to its mailbox (`c.var.mailbox`). */
export const requireAddress = createMiddleware<AppEnv>(async (c, next) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  if (!match) throw new AppError('missing_token', 'Send the address token as "Authorization: Bearer <jwt>".');
  const { deps } = c.var;
  const mailbox = await verifyAddressToken(deps, match[1]!);
  c.set('mailbox', mailbox);
  // The row in hand says whether a touch is due, so most requests cost no write at all.
  const now = deps.clock.now();
  if (mailbox.lastActiveAt < now - ACTIVITY_RESOLUTION_MS) c.executionCtx.waitUntil(touchAddress(deps.db, mailbox.id, now, ACTIVITY_RESOLUTION_MS));
  await next();
});
