/** The sending counters on `addresses`: send balance and the number of messages sent. */
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from './client';
import { addresses } from './schema';

/** Takes `n` units of send balance, or none when fewer are left. Atomic, so concurrent sends cannot overdraw. */
export async function chargeSendBalance(db: Db, addressId: number, n = 1): Promise<number | null> {
  const rows = await db
    .update(addresses)
    .set({ sendBalance: sql`${addresses.sendBalance} - ${n}`, sentCount: sql`${addresses.sentCount} + ${n}` })
    .where(and(eq(addresses.id, addressId), gte(addresses.sendBalance, n)))
    .returning({ balance: addresses.sendBalance });
  return rows[0]?.balance ?? null;
}

export function refundStatement(db: Db, addressId: number, n = 1) {
  return db.update(addresses).set({ sendBalance: sql`${addresses.sendBalance} + ${n}` }).where(eq(addresses.id, addressId));
}

export async function refundSendBalance(db: Db, addressId: number, n = 1): Promise<void> {
  await refundStatement(db, addressId, n);
}

/** Counts messages sent by an address that is not charged (an admin key sending as it). */
export function countSentStatement(db: Db, addressId: number, n: number) {
  return db.update(addresses).set({ sentCount: sql`${addresses.sentCount} + ${n}` }).where(eq(addresses.id, addressId));
}

export async function setSendBalance(db: Db, addressId: number, balance: number): Promise<boolean> {
  const rows = await db.update(addresses).set({ sendBalance: balance }).where(eq(addresses.id, addressId)).returning({ id: addresses.id });
  return rows.length > 0;
}
