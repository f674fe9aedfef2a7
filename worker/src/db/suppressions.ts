/** Queries on `suppressions`: recipients that hard-bounced, per sending domain. */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { chunksOf } from './chunks';
import { suppressions, type SuppressionRow } from './schema-sending';

export type NewSuppression = Omit<typeof suppressions.$inferInsert, 'id'>;

/** Which of `addresses` are suppressed for mail from `domain`. */
export async function suppressedAmong(db: Db, domain: string, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await db
    .select({ address: suppressions.address })
    .from(suppressions)
    .where(and(eq(suppressions.domain, domain), inArray(suppressions.address, addresses)));
  return new Set(rows.map((r) => r.address));
}

/** Inserts suppressions; a recipient already suppressed for that domain keeps its first record. */
export function suppressionStatements(db: Db, rows: NewSuppression[]) {
  // About nine bound parameters a row; D1 allows 100 per statement.
  return chunksOf(rows, 10).map((chunk) => db.insert(suppressions).values(chunk).onConflictDoNothing());
}

export interface SuppressionFilter {
  /** Only suppressions these senders' mail caused (an empty list matches nothing). */
  sourceAddressIds?: number[];
  domain?: string;
  address?: string;
}

const filterWhere = (f: SuppressionFilter) =>
  and(
    f.sourceAddressIds === undefined ? undefined : f.sourceAddressIds.length ? inArray(suppressions.sourceAddressId, f.sourceAddressIds) : sql`0`,
    f.domain ? eq(suppressions.domain, f.domain) : undefined,
    f.address ? eq(suppressions.address, f.address) : undefined,
  );

export async function listSuppressions(db: Db, filter: SuppressionFilter, limit: number, beforeId?: number): Promise<SuppressionRow[]> {
  return db
    .select()
    .from(suppressions)
    .where(and(filterWhere(filter), beforeId === undefined ? undefined : lt(suppressions.id, beforeId)))
    .orderBy(desc(suppressions.id))
    .limit(limit);
}

export async function deleteSuppressions(db: Db, filter: SuppressionFilter & { address: string }): Promise<number> {
  const rows = await db.delete(suppressions).where(filterWhere(filter)).returning({ id: suppressions.id });
  return rows.length;
}
