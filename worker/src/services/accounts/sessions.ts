/**
 * Log-in sessions: the user token of the web UI and the API. A token is `ems_` + 40 random
 * characters, shown once; only its SHA-256 is stored. Sessions expire (SESSION_TTL_SECONDS) and can be
 * revoked one by one (log out) — a revoked or expired token fails at once everywhere.
 */
import { findSessionByHash, insertSession, liveSessions, revokeSessionById, revokeSessionRow, touchSession } from '../../db/sessions';
import type { SessionRow, UserRow } from '../../db/schema-accounts';
import { findUserById } from '../../db/users';
import { sha256Hex } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';

export const SESSION_PREFIX = 'ems_';
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface NewSession {
  token: string;
  publicId: string;
  tokenHash: string;
  expiresAt: number;
}

/** A fresh token and what gets stored for it (nothing is written here). */
export async function mintSession(deps: Pick<Deps, 'config' | 'clock'>): Promise<NewSession> {
  const token = `${SESSION_PREFIX}${randomToken(40, ALPHANUMERIC)}`;
  return {
    token,
    publicId: `ses_${randomToken(20)}`,
    tokenHash: await sha256Hex(token),
    expiresAt: deps.clock.now() + deps.config.sessionTtlSeconds * 1000,
  };
}

export async function startSession(deps: Deps, user: UserRow): Promise<{ token: string; session: SessionRow }> {
  const minted = await mintSession(deps);
  const session = await insertSession(deps.db, {
    publicId: minted.publicId,
    userId: user.id,
    tokenHash: minted.tokenHash,
    createdAt: deps.clock.now(),
    expiresAt: minted.expiresAt,
  });
  return { token: minted.token, session };
}

// Recording use on every request would make every read a write; once a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The user behind a session token, or `invalid_token` (unknown, user gone) / `token_expired`
 * (expired, logged out or revoked). `touch` receives the write that records use, for the caller to run in the background.
 */
export async function resolveSession(
  deps: Deps,
  token: string,
  touch: (work: Promise<void>) => void = () => {},
): Promise<{ user: UserRow; session: SessionRow }> {
  const session = await findSessionByHash(deps.db, await sha256Hex(token));
  const invalid = () => new AppError('invalid_token', 'The session token is invalid.');
  if (!session) throw invalid();
  if (session.revokedAt !== null) throw new AppError('token_expired', 'The session has ended (logged out or revoked); log in again.');
  const now = deps.clock.now();
  if (session.expiresAt <= now) throw new AppError('token_expired', 'The session has expired; log in again.');
  const user = await findUserById(deps.db, session.userId);
  if (!user) throw invalid();
  if (session.lastUsedAt === null || session.lastUsedAt < now - LAST_USED_RESOLUTION_MS) touch(touchSession(deps.db, session.id, now));
  return { user, session };
}

export function listSessions(deps: Deps, userId: number): Promise<SessionRow[]> {
  return liveSessions(deps.db, userId, deps.clock.now());
}

/** Ends one of the user's sessions (log out, or "sign out that other device"). */
export async function revokeSession(deps: Deps, userId: number, publicId: string): Promise<void> {
  if (!(await revokeSessionRow(deps.db, userId, publicId, deps.clock.now()))) throw new AppError('not_found', 'No such active session.');
}

/** Log out: ends the session the request came with. */
export async function endSession(deps: Deps, sessionId: number): Promise<void> {
  await revokeSessionById(deps.db, sessionId, deps.clock.now());
}
