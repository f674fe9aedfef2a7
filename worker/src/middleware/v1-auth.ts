/**
 * Who is calling /api/v1: an API key (`Authorization: Bearer emk_…` or `X-MAILAPI-TOKEN`), a user's
 * session token (`ems_…`, the "user token"), an address JWT (a key scoped to its own mailbox), or the
 * admin password (`x-admin-auth`, to create the first admin key) or the web UI's admin session
 * (`x-admin-token`). Sets `c.var.principal`; every
 * failure is a 401 that says nothing about mailboxes.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { resolveSession, SESSION_PREFIX } from '../services/accounts/sessions';
import { KEY_PREFIX, keyHash, recordKeyUse, resolveKey } from '../services/apikeys';
import { confirmPrincipal } from '../services/confirm-principal';
import { isUnconfirmed, mailboxPrincipal, type Confirmation, type Principal } from '../services/principal';
import { isAdminSession, verifyAddressSignature, verifyAddressToken } from '../services/tokens';
import { checkAdminPassword } from './auth';
import { enforceRateLimit } from './v1-ratelimit';

export function presentedToken(authorization: string | undefined, apiToken: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return bearer ?? (apiToken?.trim() || null);
}

/**
 * The principal behind a presented token: an API key (`emk_…`), a user's session (`ems_…`) or an
 * address JWT. Every failure is a 401 (`invalid_token`, `token_expired`) that says nothing about
 * mailboxes. Shared by /api/v1 and the compatibility doors, so a token means the same everywhere.
 */
export async function principalForToken(c: Context<AppEnv>, token: string): Promise<Principal> {
  const { deps } = c.var;
  if (token.startsWith(KEY_PREFIX)) {
    // The key and its mailbox come in one query.
    const { key, principal } = await resolveKey(deps, token);
    c.executionCtx.waitUntil(recordKeyUse(deps, key));
    return principal;
  }
  if (token.startsWith(SESSION_PREFIX)) {
    const { user, session } = await resolveSession(deps, token, (work) => c.executionCtx.waitUntil(work));
    return { kind: 'user', userId: user.id, email: user.email, sessionId: session.id, keyId: null, rateKey: `session:${session.id}` };
  }
  return mailboxPrincipal(await verifyAddressToken(deps, token));
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set (by `credentialCheckedWithData`) on a route that checks an address token or API key against its row itself. */
    checksCredentialItself: boolean;
  }
}

/**
 * Marks the hottest reads, a mailbox's first page, its search, its folders and one message (GET, no
 * cursor): their services read the credential's row in the same D1 round trip as the data
 * (services/folders.ts `listMessagesFor`, `searchMessagesFor`, `listFoldersFor`, `findMessageFor`).
 * So `v1Auth` only checks an address token's signature and expiry (a `token` principal), or hashes
 * an API key (a `key` principal), and the route settles the request with who the caller turned out
 * to be (`settlePrincipal`). Mounted before `v1Auth`, on those routes alone.
 */
export const credentialCheckedWithData = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'GET' || c.req.query('cursor') !== undefined) return next();
  c.set('checksCredentialItself', true);
  await next();
  // A route settles the request when it answers with data. One that failed before that (a bad
  // parameter, another mailbox, a missing message) is settled here: a rotated token or a revoked key
  // turns the answer into its 401, and a live one is counted against the rate limit like any other.
  const principal = c.get('principal');
  if (!principal || !isUnconfirmed(principal) || isCredentialRefusal(c.error)) return;
  await settlePrincipal(c, await confirmPrincipal(c.var.deps, principal));
});

const isCredentialRefusal = (err: unknown) => err instanceof AppError && (err.code === 'invalid_token' || err.code === 'token_expired');

/**
 * Once a route has read a credential not yet checked (`token`, `key`) and found who the caller is
 * (`confirmed`), the request is that caller's: it notes the key's use and counts against the rate
 * limit now, not before, so a rotated token or revoked key spends nothing.
 */
export async function settlePrincipal(c: Context<AppEnv>, confirmed: Confirmation): Promise<void> {
  if (!isUnconfirmed(c.var.principal)) return;
  c.set('principal', confirmed.principal);
  if (confirmed.key) c.executionCtx.waitUntil(recordKeyUse(c.var.deps, confirmed.key));
  await enforceRateLimit(c);
}

const isAddressToken = (token: string) => !token.startsWith(KEY_PREFIX) && !token.startsWith(SESSION_PREFIX);

export const v1Auth = createMiddleware<AppEnv>(async (c, next) => {
  const { deps } = c.var;
  const token = presentedToken(c.req.header('authorization'), c.req.header('x-mailapi-token'));
  let principal: Principal;
  if (token && c.get('checksCredentialItself') && isAddressToken(token)) {
    const claims = await verifyAddressSignature(deps, token);
    principal = { kind: 'token', claims, keyId: null, rateKey: `jwt:${claims.address_id}` };
  } else if (token && c.get('checksCredentialItself') && token.startsWith(KEY_PREFIX)) {
    principal = { kind: 'key', hash: await keyHash(token), keyId: null, rateKey: 'key:unconfirmed' };
  } else if (token) {
    principal = await principalForToken(c, token);
  } else if (await checkAdminPassword(c, c.req.header('x-admin-auth'))) {
    principal = { kind: 'admin', keyId: null, rateKey: 'admin-password' };
  } else if (await isAdminSession(deps, c.req.header('x-admin-token'))) {
    // The web UI's admin session (POST /admin/session), so its admin pages can use /api/v1 too.
    principal = { kind: 'admin', keyId: null, rateKey: 'admin-session' };
  } else {
    throw new AppError('missing_token', 'Send an API key as "Authorization: Bearer <key>" or "X-MAILAPI-TOKEN: <key>".');
  }
  c.set('principal', principal);
  // Authenticated answers are per-caller: never cache them in shared caches.
  c.header('Cache-Control', 'no-store');
  await next();
});
