/**
 * API keys for /api/v1. A key is `emk_` + 40 random characters; only its SHA-256 is stored, and its
 * first 12 characters are kept as a recognisable prefix. Admin keys reach every mailbox, mailbox keys one.
 */
import { findAddressById } from '../db/addresses';
import { countKeys, findKeyByHash, findKeyById, findKeyByPublicId, insertKey, listKeys, revokeKey, touchKey } from '../db/keys';
import type { AddressRow, ApiKeyRow } from '../db/schema';
import { sha256Hex } from '../lib/bytes';
import { randomToken } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';
import type { Confirmation } from './principal';

/** Who a live key makes the caller, with the key's row. */
type KeyConfirmation = Confirmation & { key: ApiKeyRow };

export const KEY_PREFIX = 'emk_';

export interface NewKeyInput {
  type: 'admin' | 'mailbox';
  mailbox?: AddressRow;
  name: string;
  expiresAt?: number;
}

export async function createKey(deps: Deps, input: NewKeyInput): Promise<{ row: ApiKeyRow; key: string }> {
  const key = `${KEY_PREFIX}${randomToken(40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  const row = await insertKey(deps.db, {
    publicId: `key_${randomToken(20)}`,
    prefix: key.slice(0, 12),
    hash: await sha256Hex(key),
    type: input.type,
    addressId: input.type === 'mailbox' ? input.mailbox!.id : null,
    name: input.name,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
  });
  return { row, key };
}

/**
 * The live key for a presented secret, with the mailbox a mailbox key is scoped to (read in the same
 * query), or `invalid_token` / `token_expired`. Revoked keys are invalid.
 */
export async function resolveKey(deps: Deps, key: string): Promise<KeyConfirmation> {
  return resolveKeyHash(deps, await sha256Hex(key));
}

/** `resolveKey` for a key already hashed (`keyHash`). */
export async function resolveKeyHash(deps: Deps, hash: string): Promise<KeyConfirmation> {
  return confirmKey(deps, await findKeyByHash(deps.db, hash));
}

export const keyHash = (key: string) => sha256Hex(key);

/**
 * Who a key row (with its mailbox, read in the same query) makes the caller: an admin, or the one
 * mailbox of a mailbox key. `invalid_token` for no row, a revoked key or a mailbox key whose mailbox
 * is gone; `token_expired` past its expiry.
 */
export function confirmKey(deps: Deps, found: { key: ApiKeyRow; mailbox: AddressRow | null } | null | undefined): KeyConfirmation {
  const key = liveKey(deps, found?.key);
  return keyConfirmation(key, found!.mailbox);
}

/** The key if it is live: `invalid_token` for none or a revoked one, `token_expired` past its expiry. */
export function liveKey(deps: Deps, key: ApiKeyRow | null | undefined): ApiKeyRow {
  if (!key) throw new AppError('invalid_token', 'The API key is invalid.');
  // Found but no longer active: "expired or inactive", as the Mail API guide puts it.
  if (key.revokedAt !== null) throw new AppError('token_expired', 'The API key has been revoked.');
  if (key.expiresAt !== null && key.expiresAt <= deps.clock.now()) throw new AppError('token_expired', 'The API key has expired.');
  return key;
}

/** Who a live key makes the caller: an admin, or its mailbox (`invalid_token` when that is gone). */
export function keyConfirmation(key: ApiKeyRow, mailbox: AddressRow | null): KeyConfirmation {
  const rateKey = `key:${key.id}`;
  if (key.type === 'admin') return { key, principal: { kind: 'admin', keyId: key.id, rateKey } };
  if (!mailbox) throw new AppError('invalid_token', 'The API key is invalid or has been revoked.');
  return { key, principal: { kind: 'mailbox', addressId: mailbox.id, address: mailbox.address, keyId: key.id, rateKey, row: mailbox } };
}

export async function listApiKeys(deps: Deps, limit: number, offset: number) {
  const [rows, total] = await Promise.all([listKeys(deps.db, limit, offset), countKeys(deps.db)]);
  return { rows, total };
}

/** The key behind an authenticated request (already resolved, so it exists). */
export async function keyOfPrincipal(deps: Deps, id: number): Promise<ApiKeyRow> {
  const row = await findKeyById(deps.db, id);
  if (!row) throw new AppError('invalid_token', 'The API key is invalid or has been revoked.');
  return row;
}

export async function getApiKey(deps: Deps, publicId: string): Promise<ApiKeyRow> {
  const row = await findKeyByPublicId(deps.db, publicId);
  if (!row) throw new AppError('key_not_found', 'No such API key.');
  return row;
}

export async function revokeApiKey(deps: Deps, publicId: string): Promise<void> {
  if (!(await revokeKey(deps.db, publicId, deps.clock.now()))) throw new AppError('key_not_found', 'No such active API key.');
}

/** The mailbox a mailbox key belongs to; null for admin keys and for a mailbox that is gone. */
export async function mailboxOfKey(deps: Deps, key: ApiKeyRow): Promise<AddressRow | null> {
  return key.addressId === null ? null : findAddressById(deps.db, key.addressId);
}

// Recording use on every request would make every read a write; once a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Notes that a key was just used (for last_used_at), at most once a minute. */
export async function recordKeyUse(deps: Deps, key: ApiKeyRow): Promise<void> {
  const now = deps.clock.now();
  if (key.lastUsedAt === null || key.lastUsedAt < now - LAST_USED_RESOLUTION_MS) await touchKey(deps.db, key.id, now);
}
