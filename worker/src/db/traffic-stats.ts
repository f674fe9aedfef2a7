/**
 * Traffic figures by outcome: outbound from `email_recipients` (each recipient's latest result, by
 * when its message was accepted), inbound from `delivery_log` and the Junk folder.
 */
import { and, desc, eq, gte, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { addresses, deliveryLog, mails } from './schema';
import { emailRecipients, emails } from './schema-sending';

export type OutcomeGroup = 'day' | 'hour' | 'domain';

export interface OutcomeCounts {
  /** Every recipient of an accepted message (cancelled and still-scheduled ones aside). */
  total: number;
  /** Accepted by the next hop (sent) or put in one of our mailboxes (delivered). */
  delivered: number;
  bounced: number;
  /** Not through yet: waiting for its first attempt, or retrying after a temporary failure. */
  deferred: number;
  /** Refused for good without a bounce: a permanent failure, or skipped as suppressed. */
  rejected: number;
}

export interface OutboundFilter {
  start: number;
  end: number;
  /** One sending address. */
  sender?: string;
  /** Every sending address of a domain. */
  senderDomain?: string;
}

type AddressColumn = typeof addresses.address | typeof emailRecipients.address | typeof mails.recipient;
const domainPart = (column: AddressColumn) => sql<string>`lower(substr(${column}, instr(${column}, '@') + 1))`;

const status = emailRecipients.status;
const outcomeColumns = {
  total: sql<number>`count(*)`,
  delivered: sql<number>`coalesce(sum(case when ${status} in ('sent', 'delivered') then 1 else 0 end), 0)`,
  bounced: sql<number>`coalesce(sum(case when ${status} = 'bounced' then 1 else 0 end), 0)`,
  deferred: sql<number>`coalesce(sum(case when ${status} in ('queued', 'deferred') then 1 else 0 end), 0)`,
  rejected: sql<number>`coalesce(sum(case when ${status} in ('failed', 'suppressed') then 1 else 0 end), 0)`,
};

function outcomeKey(groupBy: OutcomeGroup): SQL<string> {
  if (groupBy === 'day') return sql<string>`strftime('%Y-%m-%d', ${emails.createdAt} / 1000, 'unixepoch')`;
  if (groupBy === 'hour') return sql<string>`strftime('%Y-%m-%dT%H:00:00Z', ${emails.createdAt} / 1000, 'unixepoch')`;
  return domainPart(emailRecipients.address);
}

function outboundWhere(f: OutboundFilter) {
  return and(
    gte(emails.createdAt, f.start),
    lt(emails.createdAt, f.end),
    notInArray(emails.status, ['scheduled', 'cancelled']),
    notInArray(status, ['cancelled']),
    f.sender ? eq(addresses.address, f.sender.toLowerCase()) : undefined,
    f.senderDomain ? eq(domainPart(addresses.address), f.senderDomain.toLowerCase()) : undefined,
  );
}

/** Totals, optional groups (days and hours newest first, domains busiest first) and the top recipient domains. */
export async function outboundOutcomes(db: Db, f: OutboundFilter & { groupBy?: OutcomeGroup }) {
  const where = outboundWhere(f);
  const recipientDomain = domainPart(emailRecipients.address);
  const count = sql<number>`count(*)`;
  const key = f.groupBy ? outcomeKey(f.groupBy) : null;
  const [totals, groups, top] = await Promise.all([
    db
      .select(outcomeColumns)
      .from(emailRecipients)
      .innerJoin(emails, eq(emails.id, emailRecipients.emailId))
      .innerJoin(addresses, eq(addresses.id, emails.addressId))
      .where(where)
      .get(),
    key
      ? db
          .select({ key, ...outcomeColumns })
          .from(emailRecipients)
          .innerJoin(emails, eq(emails.id, emailRecipients.emailId))
          .innerJoin(addresses, eq(addresses.id, emails.addressId))
          .where(where)
          .groupBy(key)
          .orderBy(f.groupBy === 'domain' ? desc(count) : desc(key))
          .limit(1000)
      : Promise.resolve([]),
    db
      .select({ domain: recipientDomain, count })
      .from(emailRecipients)
      .innerJoin(emails, eq(emails.id, emailRecipients.emailId))
      .innerJoin(addresses, eq(addresses.id, emails.addressId))
      .where(where)
      .groupBy(recipientDomain)
      .orderBy(desc(count))
      .limit(10),
  ]);
  return { totals: totals ?? { total: 0, delivered: 0, bounced: 0, deferred: 0, rejected: 0 }, groups, topRecipientDomains: top };
}

/** Mail offered to a domain's mailboxes in [start, end): accepted and rejected, filed as Junk, and who sent most. */
export async function inboundTraffic(db: Db, opts: { domain: string; start: number; end: number }) {
  const domain = opts.domain.toLowerCase();
  const window = and(eq(deliveryLog.direction, 'inbound'), eq(deliveryLog.recipientDomain, domain), gte(deliveryLog.createdAt, opts.start), lt(deliveryLog.createdAt, opts.end));
  const count = sql<number>`count(*)`;
  const [totals, spam, top] = await Promise.all([
    db
      .select({
        accepted: sql<number>`coalesce(sum(case when ${deliveryLog.status} = 'accepted' then 1 else 0 end), 0)`,
        rejected: sql<number>`coalesce(sum(case when ${deliveryLog.status} = 'rejected' then 1 else 0 end), 0)`,
      })
      .from(deliveryLog)
      .where(window)
      .get(),
    db
      .select({ n: count })
      .from(mails)
      .where(and(eq(mails.folder, 'Junk'), eq(domainPart(mails.recipient), domain), gte(mails.createdAt, opts.start), lt(mails.createdAt, opts.end)))
      .get(),
    db.select({ domain: deliveryLog.senderDomain, count }).from(deliveryLog).where(window).groupBy(deliveryLog.senderDomain).orderBy(desc(count)).limit(10),
  ]);
  return { accepted: totals?.accepted ?? 0, rejected: totals?.rejected ?? 0, spam: spam?.n ?? 0, topSenderDomains: top };
}
