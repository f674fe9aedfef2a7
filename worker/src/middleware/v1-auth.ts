/**
 * Who is calling /api/v1: an API key (`Authorization: Bearer emk_…` or `X-MAILAPI-TOKEN`), an
 * address JWT (a key scoped to its own mailbox), or the admin password (`x-admin-auth`, to create
 * the first admin key). Sets `c.var.principal`; every failure is a 401 that says nothing about mailboxes.
 */
import { createMiddleware } from 'hono/factory';
import { touchKey } from '../db/keys';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { KEY_PREFIX, resolveKey } from '../services/apikeys';
import type { Principal } from '../services/principal';
import { verifyAddressToken } from '../services/tokens';
import { isAdminPassword } from './auth';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

export function presentedToken(authorization: string | undefined, apiToken: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return bearer ?? (apiToken?.trim() || null);
}

// Recording use on every request would make every read a write; once a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

export const v1Auth = createMiddleware<AppEnv>(async (c, next) => {
  const { deps } = c.var;
  const token = presentedToken(c.req.header('authorization'), c.req.header('x-mailapi-token'));
  let principal: Principal;
  if (token?.startsWith(KEY_PREFIX)) {
    const { key, mailbox } = await resolveKey(deps, token);
    if (key.type === 'admin') {
      principal = { kind: 'admin', keyId: key.id, rateKey: `key:${key.id}` };
    } else {
      if (!mailbox) throw new AppError('invalid_token', 'The API key is invalid or has been revoked.');
      principal = { kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: key.id, rateKey: `key:${key.id}`, row: mailbox };
    }
    if (key.lastUsedAt === null || key.lastUsedAt < deps.clock.now() - LAST_USED_RESOLUTION_MS) {
      c.executionCtx.waitUntil(touchKey(deps.db, key.id, deps.clock.now()));
    }
  } else if (token) {
    const mailbox = await verifyAddressToken(deps, token);
    principal = { kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: null, rateKey: `jwt:${mailbox.id}`, row: mailbox };
  } else if (await isAdminPassword(deps, c.req.header('x-admin-auth'))) {
    principal = { kind: 'admin', keyId: null, rateKey: 'admin-password' };
  } else {
    throw new AppError('missing_token', 'Send an API key as "Authorization: Bearer <key>" or "X-MAILAPI-TOKEN: <key>".');
  }
  c.set('principal', principal);
  // Authenticated answers are per-caller: never cache them in shared caches.
  c.header('Cache-Control', 'no-store');
  await next();
});
