/**
 * Address JWTs: the mailbox's password everywhere (web UI, HTTP API, SMTP). HS256 with JWT_SECRET.
 * A token names the address, its id and the token version it was issued at; bumping the version
 * (rotation) or deleting the address makes every earlier token fail.
 */
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { findAddressById } from '../db/addresses';
import type { AddressRow } from '../db/schema';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';

interface AddressClaims {
  address: string;
  address_id: number;
  ver: number;
}

export async function issueAddressToken(deps: Pick<Deps, 'config' | 'clock'>, row: AddressRow): Promise<string> {
  const claims: AddressClaims = { address: row.address, address_id: row.id, ver: row.tokenVersion };
  const nowSeconds = Math.floor(deps.clock.now() / 1000);
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(nowSeconds);
  if (deps.config.jwtTtlSeconds > 0) jwt.setExpirationTime(nowSeconds + deps.config.jwtTtlSeconds);
  return jwt.sign(deps.config.jwtSecret);
}

// One message for every way a token can be wrong, so a response never reveals whether a mailbox exists.
const INVALID = 'The token is invalid or has been revoked.';

/**
 * Tokens whose signature already verified in this isolate, with their claims, per JWT secret. The
 * HMAC check is deterministic, so repeating it on every request buys nothing; what can change about a
 * token (rotation, deletion of its address, expiry) is still checked on every request below.
 */
const verified = new WeakMap<Uint8Array, Map<string, VerifiedClaims>>();
const VERIFIED_PER_SECRET = 2000;

interface VerifiedClaims extends AddressClaims {
  /** Expiry in seconds since the epoch, when the token has one. */
  exp?: number;
}

/** Resolves a token to its live address row, or throws `invalid_token` / `token_expired` (401). */
export async function verifyAddressToken(deps: Pick<Deps, 'config' | 'clock' | 'db'>, token: string): Promise<AddressRow> {
  const claims = await verifyAddressSignature(deps, token);
  // One indexed read per request: a rotated or deleted address fails at once, in every isolate.
  return liveAddress(claims, await findAddressById(deps.db, claims.address_id));
}

/**
 * A token whose signature and expiry hold; whether its address still accepts it is `liveAddress`'s
 * question, which callers must ask of the row as it is now (hot paths read it in the same D1 round
 * trip as their data).
 */
export type AddressTokenClaims = Readonly<AddressClaims>;

/** The address row a token names, if the token is still valid for it; otherwise `invalid_token`. */
export function liveAddress(claims: AddressTokenClaims, row: AddressRow | null | undefined): AddressRow {
  if (!row || row.id !== claims.address_id || row.address !== claims.address || row.tokenVersion !== claims.ver) {
    throw new AppError('invalid_token', INVALID);
  }
  return row;
}

/** Checks a token's signature (once per isolate) and expiry (every time). */
export async function verifyAddressSignature(deps: Pick<Deps, 'config' | 'clock'>, token: string): Promise<AddressTokenClaims> {
  let cache = verified.get(deps.config.jwtSecret);
  if (!cache) verified.set(deps.config.jwtSecret, (cache = new Map()));
  const known = cache.get(token);
  if (known) {
    // Same rule as jose: expired once the current second reaches `exp`.
    if (known.exp !== undefined && Math.floor(deps.clock.now() / 1000) >= known.exp) throw new AppError('token_expired', 'The token has expired.');
    return known;
  }
  let payload: Partial<VerifiedClaims> & { nbf?: number };
  try {
    ({ payload } = await jwtVerify<Partial<VerifiedClaims>>(token, deps.config.jwtSecret, {
      algorithms: ['HS256'],
      currentDate: new Date(deps.clock.now()),
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('token_expired', 'The token has expired.');
    throw new AppError('invalid_token', INVALID);
  }
  if (typeof payload.address_id !== 'number' || typeof payload.address !== 'string') {
    throw new AppError('invalid_token', INVALID);
  }
  const claims: VerifiedClaims = { address: payload.address, address_id: payload.address_id, ver: payload.ver ?? 0, exp: payload.exp };
  // Tokens we issue never carry `nbf`; one that does is verified every time rather than cached.
  if (payload.nbf === undefined) {
    if (cache.size >= VERIFIED_PER_SECRET) cache.delete(cache.keys().next().value!);
    cache.set(token, claims);
  }
  return claims;
}

/** When an address token (already verified) was issued and when it expires, ms since epoch (null: never). */
export function addressTokenTimes(token: string): { issuedAt: number | null; expiresAt: number | null } {
  const { iat, exp } = decodeJwt(token);
  return { issuedAt: typeof iat === 'number' ? iat * 1000 : null, expiresAt: typeof exp === 'number' ? exp * 1000 : null };
}

/** Admin sessions are short-lived, so the admin password itself never needs to sit in a browser. */
export const ADMIN_SESSION_SECONDS = 3600;
const ADMIN_AUDIENCE = 'edgemail-admin';

export async function issueAdminSession(deps: Pick<Deps, 'config' | 'clock'>): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(deps.clock.now() / 1000);
  const expiresAt = now + ADMIN_SESSION_SECONDS;
  const token = await new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(ADMIN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(deps.config.jwtSecret);
  return { token, expiresAt: expiresAt * 1000 };
}

/** True for a valid, unexpired admin session token. Address tokens carry no audience and fail here. */
export async function isAdminSession(deps: Pick<Deps, 'config' | 'clock'>, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  try {
    const { payload } = await jwtVerify(token, deps.config.jwtSecret, {
      algorithms: ['HS256'],
      audience: ADMIN_AUDIENCE,
      currentDate: new Date(deps.clock.now()),
    });
    return payload.role === 'admin';
  } catch {
    return false;
  }
}
