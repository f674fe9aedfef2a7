/**
 * What a caller's own token is, whatever its kind, for "who am I" endpoints (the Mail API's
 * /tokens/me): admin keys are `admin`; mailbox keys, address JWTs and user sessions are `user` tokens
 * (they reach their own mailboxes only, unless a user holds domain permissions).
 */
import { findAddressById } from '../../db/addresses';
import { findSessionById } from '../../db/sessions';
import { findUserById } from '../../db/users';
import { AppError } from '../../lib/errors';
import { keyOfPrincipal } from '../apikeys';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { addressTokenTimes } from '../tokens';

export interface TokenInfo {
  /** The key's, session's or (for an address JWT) mailbox's row id. */
  id: number;
  type: 'admin' | 'user';
  /** The mailbox a mailbox key or JWT belongs to, or the user's login; null for admin keys. */
  email: string | null;
  /** The key's name; the user's name for a session; empty for an address JWT. */
  name: string;
  createdAt: number | null;
  /** This call is a use: now. */
  lastUsedAt: number;
  expiresAt: number | null;
}

/** `token` is the secret the principal was resolved from (already verified). */
export async function describeToken(deps: Deps, principal: Principal, token: string): Promise<TokenInfo> {
  const now = deps.clock.now();
  if (principal.keyId !== null) {
    const key = await keyOfPrincipal(deps, principal.keyId);
    return {
      id: key.id,
      type: key.type === 'admin' ? 'admin' : 'user',
      email: principal.kind === 'mailbox' ? principal.address : null,
      name: key.name,
      createdAt: key.createdAt,
      lastUsedAt: now,
      expiresAt: key.expiresAt,
    };
  }
  if (principal.kind === 'user') {
    const [session, user] = await Promise.all([findSessionById(deps.db, principal.sessionId), findUserById(deps.db, principal.userId)]);
    if (!session || !user) throw new AppError('invalid_token', 'The session token is invalid or has been revoked.');
    return { id: session.id, type: 'user', email: user.email, name: user.name, createdAt: session.createdAt, lastUsedAt: now, expiresAt: session.expiresAt };
  }
  if (principal.kind === 'mailbox') {
    const mailbox = await findAddressById(deps.db, principal.addressId);
    if (!mailbox) throw new AppError('invalid_token', 'The token is invalid or has been revoked.');
    const times = addressTokenTimes(token);
    return { id: mailbox.id, type: 'user', email: mailbox.address, name: '', createdAt: times.issuedAt, lastUsedAt: now, expiresAt: times.expiresAt };
  }
  throw new AppError('access_denied', 'The admin password has no token record; use an admin API key.');
}
