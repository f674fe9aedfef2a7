/**
 * /api/v1/domains: the domains a caller may see, the admin's approval queue and deletion, and per
 * domain the DNS records to publish and a check that they are published.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { domainsVisibleTo, requireDomainPermission } from '../../services/accounts/access';
import { approveDomain, listPendingDomains } from '../../services/domains/approval';
import { dnsRecords } from '../../services/domains/dns';
import { getDomain } from '../../services/domains/registry';
import { removeDomain } from '../../services/domains/removal';
import { verifyDomainDns } from '../../services/domains/verify';
import { requireAdminPrincipal } from '../../services/principal';
import { domainInfo } from './account-presenters';
import { DnsReport, Domain, DomainDns, inUse, unconfigured, upstream } from './account-schemas';
import { meta, security, v1Router } from './common';
import { commonErrors, envelope, listEnvelope, ok } from './schemas';

const domainParam = z.object({
  domain: z.string().min(1).max(253).openapi({ param: { name: 'domain', in: 'path' }, example: 'newdomain.com' }),
});

const list = createRoute({
  method: 'get',
  path: '/domains',
  tags: ['Domains'],
  security,
  summary: 'Domains you can see: all for an admin; for a user, those they hold a permission on',
  responses: { ...ok(listEnvelope(Domain), 'Domains by name'), ...commonErrors },
});

const pending = createRoute({
  method: 'get',
  path: '/domains/pending',
  tags: ['Domains'],
  security,
  summary: 'Domains awaiting approval, oldest first (admin)',
  responses: { ...ok(listEnvelope(Domain), 'The approval queue'), ...commonErrors },
});

const approve = createRoute({
  method: 'post',
  path: '/domains/{domain}/approve',
  tags: ['Domains'],
  security,
  summary: 'Approve a domain (admin): generates its DKIM key (RSA 2048) and activates it',
  request: { params: domainParam },
  responses: { ...ok(envelope(Domain.extend({ records: DomainDns.shape.records })), 'The active domain and its records'), ...commonErrors, ...unconfigured },
});

const remove = createRoute({
  method: 'delete',
  path: '/domains/{domain}',
  tags: ['Domains'],
  security,
  summary: 'Delete a domain (admin): turns a signup down, or drops a domain never used',
  description:
    'Deletes the domain, its addresses and the accounts whose login email is on it, in one transaction. ' +
    'Refused whole (409 `domain_in_use`) while any address on it holds mail: delete those mailboxes first, so no mail is lost by accident. ' +
    'A domain listed in `DOMAINS` is refused (409 `domain_configured`): the next request would seed it again.',
  request: { params: domainParam },
  responses: {
    ...ok(envelope(z.object({ domain: z.string(), deleted: z.literal(true), addresses_deleted: z.number().int(), users_deleted: z.number().int() })), 'Deleted'),
    ...commonErrors,
    ...inUse,
  },
});

const dns = createRoute({
  method: 'get',
  path: '/domains/{domain}/dns',
  tags: ['Domains'],
  security,
  summary: 'The DNS records to publish, with full names (admin, or manage_domains on it)',
  request: { params: domainParam },
  responses: { ...ok(envelope(DomainDns), 'MX, SPF, DKIM and DMARC records'), ...commonErrors },
});

const verify = createRoute({
  method: 'post',
  path: '/domains/{domain}/verify',
  tags: ['Domains'],
  security,
  summary: 'Look the records up over DNS-over-HTTPS and report each (admin, or manage_domains on it)',
  request: { params: domainParam },
  responses: { ...ok(envelope(DnsReport), 'What DNS holds, record by record'), ...commonErrors, ...upstream },
});

export const domainRoutes = v1Router()
  .openapi(list, async (c) => {
    const rows = await domainsVisibleTo(c.var.deps, c.var.principal);
    return c.json({ ok: true as const, success: true as const, data: rows.map(domainInfo), meta: { ...meta(c), total: rows.length, limit: rows.length, offset: 0, next_cursor: null } }, 200);
  })
  .openapi(pending, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const rows = await listPendingDomains(c.var.deps);
    return c.json({ ok: true as const, success: true as const, data: rows.map(domainInfo), meta: { ...meta(c), total: rows.length, limit: rows.length, offset: 0, next_cursor: null } }, 200);
  })
  .openapi(approve, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const row = await approveDomain(c.var.deps, c.req.valid('param').domain);
    return c.json({ ok: true as const, success: true as const, data: { ...domainInfo(row), records: dnsRecords(row) }, meta: meta(c) }, 200);
  })
  .openapi(remove, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const removed = await removeDomain(c.var.deps, c.req.valid('param').domain);
    const data = { domain: removed.domain, deleted: true as const, addresses_deleted: removed.addressesDeleted, users_deleted: removed.usersDeleted };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(dns, async (c) => {
    const { domain } = c.req.valid('param');
    await requireDomainPermission(c.var.deps, c.var.principal, domain, 'manage_domains');
    const row = await getDomain(c.var.deps, domain);
    return c.json({ ok: true as const, success: true as const, data: { domain: row.name, status: row.status, records: dnsRecords(row) }, meta: meta(c) }, 200);
  })
  .openapi(verify, async (c) => {
    const { domain } = c.req.valid('param');
    await requireDomainPermission(c.var.deps, c.var.principal, domain, 'manage_domains');
    return c.json({ ok: true as const, success: true as const, data: await verifyDomainDns(c.var.deps, domain), meta: meta(c) }, 200);
  });
