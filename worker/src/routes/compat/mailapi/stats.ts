/**
 * /stats: delivery outcomes (summary and breakdown) and one domain's traffic. Admin tokens see
 * everything; a user sees a sender or domain where they hold view_stats (the same rule as /api/v1).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { validate } from '../../../lib/validate';
import { requireStatsAccess } from '../../../services/accounts/access';
import { domainTrafficReport, outboundReport } from '../../../services/stats';
import { dateWindow } from '../../v1/stats';
import { isoSeconds } from './presenters';
import { DeliveryStatsQuery, DomainParam, DomainStatsQuery } from './schemas';

/** The guide's defaults: the last 7 days. */
const DEFAULT_DAYS = 7;

/** The guide writes a period's end inclusively (`…T23:59:59Z`); ours is exclusive. */
const period = (w: { start: number; end: number }) => ({ start: isoSeconds(w.start), end: isoSeconds(w.end - 1) });

const rate = (delivered: number, total: number) => (total === 0 ? 0 : Math.round((delivered / total) * 1000) / 10);

const GROUP_FIELD = { day: 'date', hour: 'hour', domain: 'domain' } as const;

export const statsRoutes = new Hono<AppEnv>()
  .get('/stats/delivery', validate('query', DeliveryStatsQuery), async (c) => {
    const q = c.req.valid('query');
    const { deps, principal } = c.var;
    // `sender` is an address or a whole domain.
    const scope = q.sender === undefined ? {} : q.sender.includes('@') ? { sender: q.sender } : { domain: q.sender };
    await requireStatsAccess(deps, principal, scope);
    const window = dateWindow(q.start_date, q.end_date, deps.clock.now(), DEFAULT_DAYS);
    const report = await outboundReport(deps, { ...window, sender: scope.sender, senderDomain: scope.domain, groupBy: q.group_by });
    const t = report.totals;
    return c.json(
      {
        success: true,
        period: period(window),
        summary: { total_sent: t.total, delivered: t.delivered, bounced: t.bounced, deferred: t.deferred, rejected: t.rejected, delivery_rate: rate(t.delivered, t.total) },
        breakdown: report.groups.map((g) => ({ [GROUP_FIELD[q.group_by]]: g.key, sent: g.total, delivered: g.delivered, bounced: g.bounced, deferred: g.deferred })),
      },
      200,
    );
  })
  .get('/stats/domain/:domain', validate('param', DomainParam), validate('query', DomainStatsQuery), async (c) => {
    const { domain } = c.req.valid('param');
    const q = c.req.valid('query');
    const { deps, principal } = c.var;
    await requireStatsAccess(deps, principal, { domain });
    const window = dateWindow(q.start_date, q.end_date, deps.clock.now(), DEFAULT_DAYS);
    const { outbound, inbound } = await domainTrafficReport(deps, { domain, ...window });
    const o = outbound.totals;
    return c.json(
      {
        success: true,
        domain,
        period: period(window),
        outbound: { total: o.total, delivered: o.delivered, bounced: o.bounced, deferred: o.deferred, top_recipients: outbound.topRecipientDomains },
        inbound: {
          total: inbound.accepted + inbound.rejected,
          accepted: inbound.accepted,
          rejected: inbound.rejected,
          spam: inbound.spam,
          top_senders: inbound.topSenderDomains,
        },
      },
      200,
    );
  });
