/**
 * Idempotency-Key semantics (kept 24 h per key and caller): the same key and request replay the
 * first response; the same key with a different request is refused; a key whose first request is
 * still running is refused as concurrent. Server errors are not remembered, so they can be retried.
 */
import { claimKey, completeKey, findKey, purgeExpiredKeys, releaseKey } from '../db/idempotency';
import { AppError } from '../lib/errors';
import type { Deps } from './deps';

export const IDEMPOTENCY_TTL_MS = 86_400_000;
export const MAX_KEY_LENGTH = 256;

export type IdempotencyStart = { kind: 'new' } | { kind: 'replay'; status: number; body: string };

export async function beginIdempotent(deps: Deps, scope: string, key: string, fingerprint: string): Promise<IdempotencyStart> {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new AppError('validation_failed', `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`, 'Idempotency-Key');
  }
  const now = deps.clock.now();
  const claim = { scope, key, fingerprint, createdAt: now, expiresAt: now + IDEMPOTENCY_TTL_MS };
  if (await claimKey(deps.db, claim)) return { kind: 'new' };
  const existing = await findKey(deps.db, scope, key);
  if (!existing || existing.expiresAt <= now) {
    // Expired (or released meanwhile): the key is free again.
    if (existing) await releaseKey(deps.db, scope, key);
    if (await claimKey(deps.db, claim)) return { kind: 'new' };
    throw new AppError('concurrent_idempotent_requests', 'Another request with this Idempotency-Key is in progress.', 'Idempotency-Key');
  }
  if (existing.fingerprint !== fingerprint) {
    throw new AppError('invalid_idempotent_request', 'This Idempotency-Key was used with a different request.', 'Idempotency-Key');
  }
  if (existing.status === 'in_flight') {
    throw new AppError('concurrent_idempotent_requests', 'The first request with this Idempotency-Key is still in progress; retry shortly.', 'Idempotency-Key', 1);
  }
  return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody ?? '' };
}

/** Remembers the response to replay, or forgets the key when the outcome was a server-side or rate-limit failure. */
export async function finishIdempotent(deps: Deps, scope: string, key: string, status: number, body: string): Promise<void> {
  if (status >= 500 || status === 429) await releaseKey(deps.db, scope, key);
  else await completeKey(deps.db, scope, key, status, body);
}

/** Forgets keys past their 24 h (cron); at most `limit` per run, so one run stays short. */
export async function purgeExpiredIdempotencyKeys(deps: Deps, limit = 1000): Promise<void> {
  await purgeExpiredKeys(deps.db, deps.clock.now(), limit);
}
