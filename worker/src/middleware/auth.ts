/**
 * The three credentials: the optional site password (`x-custom-auth`), the admin password
 * (`x-admin-auth`), and an address JWT (Bearer header, or a body field on /external).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { touchAddress } from '../db/addresses';
import type { AddressRow } from '../db/schema';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { matchesAny } from '../lib/secrets';
import type { Deps } from '../services/deps';
import { isAdminSession, verifyAddressSignature, verifyAddressToken, type AddressTokenClaims } from '../services/tokens';

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

declare module 'hono' {
  interface ContextVariableMap {
    /** A Bearer address token whose signature holds, not yet checked against its address (`requireAddressToken`). */
    addressToken: AddressTokenClaims;
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new AppError('missing_token', 'Send the address token as "Authorization: Bearer <jwt>".');
  return match[1]!;
}

// Recording activity on every read would turn reads into writes; once an hour is plenty for TTLs.
const ACTIVITY_RESOLUTION_MS = 3_600_000;

/** Records use of a mailbox, when the row in hand says the last record is older than the resolution. */
function touchIfDue(c: Context<AppEnv>, mailbox: AddressRow): void {
  const { deps } = c.var;
  const now = deps.clock.now();
  if (mailbox.lastActiveAt < now - ACTIVITY_RESOLUTION_MS) c.executionCtx.waitUntil(touchAddress(deps.db, mailbox.id, now, ACTIVITY_RESOLUTION_MS));
}

/** Resolves the Bearer address JWT to its mailbox (`c.var.mailbox`). */
export const requireAddress = createMiddleware<AppEnv>(async (c, next) => {
  const mailbox = await verifyAddressToken(c.var.deps, bearerToken(c.req.header('authorization')));
  c.set('mailbox', mailbox);
  touchIfDue(c, mailbox);
  await next();
});

/**
 * `requireAddress` for the hottest reads (the first page of a mailbox): checks the token's signature
 * and expiry here, and leaves the check against the address row (rotation, deletion) to the route's
 * service, which reads that row in the same D1 round trip as the page and fails with the same 401
 * before anything is returned. The route then sets `c.var.mailbox`.
 */
export const requireAddressToken = createMiddleware<AppEnv>(async (c, next) => {
  c.set('addressToken', await verifyAddressSignature(c.var.deps, bearerToken(c.req.header('authorization'))));
  await next();
  const mailbox = c.get('mailbox');
  if (mailbox) touchIfDue(c, mailbox);
});
