/** Counts for the admin dashboard and the delivery reports of /api/v1/stats. */
import { deliveryStats, type GroupBy } from '../db/delivery-stats';
import { countSince } from '../db/stats';
import { inboundTraffic, outboundOutcomes, type OutcomeGroup } from '../db/traffic-stats';
import type { Deps } from './deps';

const DAY_MS = 86_400_000;

/** Addresses, and mail received, sent and failed over the last 24 hours and 7 days. */
export async function dashboardCounts(deps: Deps) {
  const now = deps.clock.now();
  const [day, week] = await Promise.all([countSince(deps.db, now - DAY_MS), countSince(deps.db, now - 7 * DAY_MS)]);
  return { day, week };
}

/** Delivery-log totals for a window [start, end), optionally for one sender or domain, optionally grouped. */
export function deliveryReport(deps: Deps, opts: { start: number; end: number; sender?: string; domain?: string; groupBy?: GroupBy }) {
  return deliveryStats(deps.db, opts);
}

/**
 * What became of each recipient of outbound mail accepted in [start, end): delivered, bounced,
 * deferred or rejected, for one sender address or every sender of a domain, optionally grouped.
 */
export function outboundReport(deps: Deps, opts: { start: number; end: number; sender?: string; senderDomain?: string; groupBy?: OutcomeGroup }) {
  return outboundOutcomes(deps.db, opts);
}

/** One domain's traffic: what its addresses sent (by outcome, top recipient domains) and what they received. */
export async function domainTrafficReport(deps: Deps, opts: { domain: string; start: number; end: number }) {
  const [outbound, inbound] = await Promise.all([
    outboundOutcomes(deps.db, { start: opts.start, end: opts.end, senderDomain: opts.domain }),
    inboundTraffic(deps.db, opts),
  ]);
  return { outbound, inbound };
}
