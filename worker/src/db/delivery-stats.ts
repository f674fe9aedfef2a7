/** Aggregates over `delivery_log` for /api/v1/stats. */
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { deliveryLog } from './schema';

export type GroupBy = 'day' | 'hour' | 'domain';

const counters = {
  inbound_accepted: sql<number>`sum(case when ${deliveryLog.direction} = 'inbound' and ${deliveryLog.status} = 'accepted' then 1 else 0 end)`,
  inbound_rejected: sql<number>`sum(case when ${deliveryLog.direction} = 'inbound' and ${deliveryLog.status} = 'rejected' then 1 else 0 end)`,
  outbound_sent: sql<number>`sum(case when ${deliveryLog.direction} = 'outbound' and ${deliveryLog.status} = 'sent' then 1 else 0 end)`,
  outbound_failed: sql<number>`sum(case when ${deliveryLog.direction} = 'outbound' and ${deliveryLog.status} = 'failed' then 1 else 0 end)`,
};

export interface Counters {
  inbound_accepted: number;
  inbound_rejected: number;
  outbound_sent: number;
  outbound_failed: number;
}

const zero = (row: Partial<Counters> | undefined): Counters => ({
  inbound_accepted: row?.inbound_accepted ?? 0,
  inbound_rejected: row?.inbound_rejected ?? 0,
  outbound_sent: row?.outbound_sent ?? 0,
  outbound_failed: row?.outbound_failed ?? 0,
});

function groupKey(groupBy: GroupBy): SQL<string> {
  if (groupBy === 'day') return sql<string>`strftime('%Y-%m-%d', ${deliveryLog.createdAt} / 1000, 'unixepoch')`;
  if (groupBy === 'hour') return sql<string>`strftime('%Y-%m-%dT%H:00:00Z', ${deliveryLog.createdAt} / 1000, 'unixepoch')`;
  // The other party's domain: who wrote to us, or whom we wrote to.
  return sql<string>`case when ${deliveryLog.direction} = 'inbound' then ${deliveryLog.senderDomain} else ${deliveryLog.recipientDomain} end`;
}

export async function deliveryStats(db: Db, opts: { start: number; end: number; sender?: string; domain?: string; groupBy?: GroupBy }) {
  const where = and(
    gte(deliveryLog.createdAt, opts.start),
    lt(deliveryLog.createdAt, opts.end),
    opts.sender ? eq(deliveryLog.sender, opts.sender.toLowerCase()) : undefined,
    opts.domain ? or(eq(deliveryLog.senderDomain, opts.domain), eq(deliveryLog.recipientDomain, opts.domain)) : undefined,
  );
  const key = groupKey(opts.groupBy ?? 'day');
  const [totals, groups, topSenders, topRecipients] = await Promise.all([
    db.select(counters).from(deliveryLog).where(where).get(),
    opts.groupBy
      ? db.select({ key, ...counters }).from(deliveryLog).where(where).groupBy(key).orderBy(key).limit(1000)
      : Promise.resolve([]),
    top(db, deliveryLog.senderDomain, where),
    top(db, deliveryLog.recipientDomain, where),
  ]);
  return {
    totals: zero(totals),
    groups: groups.map((g) => ({ key: g.key, ...zero(g) })),
    topSenderDomains: topSenders,
    topRecipientDomains: topRecipients,
  };
}

async function top(db: Db, column: typeof deliveryLog.senderDomain | typeof deliveryLog.recipientDomain, where: SQL | undefined) {
  const count = sql<number>`count(*)`;
  return db.select({ domain: column, count }).from(deliveryLog).where(where).groupBy(column).orderBy(desc(count)).limit(10);
}
