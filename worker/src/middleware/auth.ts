/**
 * The credentials of the web UI API: the optional site password (`x-custom-auth`), the admin
 * password (`x-admin-auth`), an address JWT (Bearer header, or a body field on /external), and a
 * user's session token (Bearer `ems_…` with the mailbox named in `X-Mailbox`).
 */
import { createMiddleware } from 'hono/factory';
import { touchAddress } from '../db/addresses';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { matchesAny } from '../lib/secrets';
import type { Deps } from '../services/deps';
import type { AddressRow } from '../db/schema';
import { resolveSession, SESSION_PREFIX } from '../services/accounts/sessions';
import { authorizeSender } from '../services/accounts/access';
import { findAddress } from '../services/addresses';
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
    c.executionCtx.waitUntil(touchAddress(deps.db, mailbox.id, deps.clock.now(), ACTIVITY_RESOLUTION_MS));
    await next();
  });
}

/** A mailbox the caller may read. */
export const requireAddress = mailboxAuth('read');
/** A mailbox the caller may send as (its domain active). */
export const requireSender = mailboxAuth('send');
