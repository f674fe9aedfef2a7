/**
 * Mailboxes recently resolved for delivery (address → row), per database, for a few minutes. Mail
 * for a known mailbox then costs one D1 round trip (its insert batch) instead of two. This is safe for
 * delivery, which only uses the row's id and address: ids are never reused (AUTOINCREMENT), so a
 * stale entry can only point at a deleted row, and the insert then fails on its foreign key. Ingest
 * forgets the entry when an insert fails, so the sender's retry resolves the address afresh; deleting
 * an address forgets it at once in the isolate that deletes it.
 */
import type { Db } from '../db/client';
import type { AddressRow } from '../db/schema';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

const caches = new WeakMap<Db, Map<string, { row: AddressRow; until: number }>>();

function cacheOf(db: Db) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export function cachedMailbox(db: Db, address: string, now: number): AddressRow | null {
  const cache = cacheOf(db);
  const entry = cache.get(address);
  if (!entry) return null;
  if (entry.until > now) return entry.row;
  cache.delete(address);
  return null;
}

export function rememberMailbox(db: Db, row: AddressRow, now: number): void {
  const cache = cacheOf(db);
  // Oldest first out: Map iterates in insertion order.
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(row.address, { row, until: now + TTL_MS });
}

export function forgetMailbox(db: Db, address: string): void {
  cacheOf(db).delete(address);
}
