/** /api/v1/stats: delivery counts from the delivery log (admin keys). */
import { createRoute, z } from '@hono/zod-openapi';
import { deliveryReport } from '../../services/stats';
import { AppError } from '../../lib/errors';
import { requireStatsAccess } from '../../services/accounts/access';
import { meta, security, v1Router } from './common';
import { commonErrors, DeliveryStats, DomainStats, envelope, ok } from './schemas';

const DAY_MS = 86_400_000;
const dateParam = (name: string) =>
  z.string().optional().openapi({ param: { name, in: 'query' }, description: 'RFC 3339 timestamp or YYYY-MM-DD (UTC)', example: '2026-11-01' });

// The same validators the other v1 times use: Date.parse alone takes almost anything ("-1" is 2001).
const DAY = z.iso.date();
const TIMESTAMP = z.iso.datetime({ offset: true });
const isDay = (value: string) => DAY.safeParse(value).success;
const isTimestamp = (value: string) => TIMESTAMP.safeParse(value).success;

/**
 * The requested window, defaulting to the last `defaultDays`; `end` in the result is exclusive. An
 * end date means through that day; an end timestamp through that second (`…T23:59:59Z` includes it).
 */
export function dateWindow(start: string | undefined, end: string | undefined, now: number, defaultDays: number) {
  const parse = (value: string, param: string) => {
    const ms = isDay(value) ? Date.parse(`${value}T00:00:00Z`) : isTimestamp(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new AppError('validation_failed', `${param} must be RFC 3339 or YYYY-MM-DD.`, param);
    return ms;
  };
  const endMs = end ? parse(end, 'end_date') + (isDay(end) ? DAY_MS : 1000) : now;
  const startMs = start ? parse(start, 'start_date') : endMs - defaultDays * DAY_MS;
  if (startMs >= endMs) throw new AppError('validation_failed', 'start_date must be before end_date.', 'start_date');
  return { start: startMs, end: endMs };
}

const delivery = createRoute({
  method: 'get',
  path: '/stats/delivery',
  tags: ['Stats'],
  security,
  summary: 'Inbound accepted/rejected and outbound sent/failed, optionally grouped (admin, or view_stats on the sender\'s domain)',
  request: {
    query: z.object({
      start_date: dateParam('start_date'),
      end_date: dateParam('end_date'),
      sender: z.email().optional().openapi({ param: { name: 'sender', in: 'query' } }),
      group_by: z.enum(['day', 'hour', 'domain']).optional().openapi({ param: { name: 'group_by', in: 'query' } }),
    }),
  },
  responses: { ...ok(envelope(DeliveryStats), 'Counts for the window (default: last 7 days)'), ...commonErrors },
});

const domain = createRoute({
  method: 'get',
  path: '/stats/domain/{domain}',
  tags: ['Stats'],
  security,
  summary: 'Traffic to and from one domain (admin, or view_stats on it)',
  request: {
    params: z.object({ domain: z.string().min(1).max(253).openapi({ param: { name: 'domain', in: 'path' }, example: 'example.com' }) }),
    query: z.object({ start_date: dateParam('start_date'), end_date: dateParam('end_date') }),
  },
  responses: { ...ok(envelope(DomainStats), 'Counts for the window (default: last 30 days)'), ...commonErrors },
});

const topDomains = (rows: { domain: string; count: number }[]) => rows.map((r) => ({ domain: r.domain, count: r.count }));

export const statsRoutes = v1Router()
  .openapi(delivery, async (c) => {
    const q = c.req.valid('query');
    await requireStatsAccess(c.var.deps, c.var.principal, { sender: q.sender });
    const range = dateWindow(q.start_date, q.end_date, c.var.deps.clock.now(), 7);
    const stats = await deliveryReport(c.var.deps, { ...range, sender: q.sender, groupBy: q.group_by });
    const data = {
      start_date: new Date(range.start).toISOString(),
      end_date: new Date(range.end).toISOString(),
      group_by: q.group_by ?? null,
      totals: stats.totals,
      groups: stats.groups,
      top_sender_domains: topDomains(stats.topSenderDomains),
      top_recipient_domains: topDomains(stats.topRecipientDomains),
    };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(domain, async (c) => {
    const name = c.req.valid('param').domain.toLowerCase();
    await requireStatsAccess(c.var.deps, c.var.principal, { domain: name });
    const q = c.req.valid('query');
    const range = dateWindow(q.start_date, q.end_date, c.var.deps.clock.now(), 30);
    const stats = await deliveryReport(c.var.deps, { ...range, domain: name });
    const data = {
      domain: name,
      start_date: new Date(range.start).toISOString(),
      end_date: new Date(range.end).toISOString(),
      ...stats.totals,
      top_sender_domains: topDomains(stats.topSenderDomains),
      top_recipient_domains: topDomains(stats.topRecipientDomains),
    };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  });
