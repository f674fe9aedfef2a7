/** Writes to `delivery_log`, the record behind the v1 delivery statistics. */
import type { Db } from './client';
import { chunksOf } from './chunks';
import { deliveryLog } from './schema';

export interface DeliveryEntry {
  direction: 'inbound' | 'outbound';
  status: 'accepted' | 'rejected' | 'sent' | 'failed';
  sender: string;
  recipient: string;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

// Nine bound parameters a row; D1 allows 100 per statement.
const ROWS_PER_INSERT = 10;

/** The row an entry becomes (addresses lowercased, domains split out for the per-domain stats). */
export function deliveryRow(e: DeliveryEntry, now: number) {
  return {
    ...e,
    sender: e.sender.toLowerCase(),
    recipient: e.recipient.toLowerCase(),
    senderDomain: domainOf(e.sender),
    recipientDomain: domainOf(e.recipient),
    createdAt: now,
  };
}

/** The inserts that log `entries`, for callers that write them in a batch with other statements. */
export function deliveryLogStatements(db: Db, entries: DeliveryEntry[], now: number) {
  const rows = entries.map((e) => deliveryRow(e, now));
  return chunksOf(rows, ROWS_PER_INSERT).map((chunk) => db.insert(deliveryLog).values(chunk));
}

export async function logDeliveries(db: Db, entries: DeliveryEntry[], now: number): Promise<void> {
  for (const statement of deliveryLogStatements(db, entries, now)) await statement;
}
