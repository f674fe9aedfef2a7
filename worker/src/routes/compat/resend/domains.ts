/**
 * Resend's GET /domains and GET /domains/{id} from Edgemail's domains (the id is the domain name),
 * so SDK helpers that look domains up work. Who sees which domains is the access service's rule:
 * admins all, users those they hold a permission on; mailbox keys only send (restricted_api_key).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { AppError } from '../../../lib/errors';
import { domainsVisibleTo } from '../../../services/accounts/access';
import { methodNotAllowed } from './errors';
import { readPage } from './input';
import { domainObject, listedDomain } from './presenters';

export const domainRoutes = new Hono<AppEnv>()
  .get('/domains', async (c) => {
    const { limit: n, after, before } = readPage(c.req.query());
    const rows = (await domainsVisibleTo(c.var.deps, c.var.principal)).sort((a, b) => a.name.localeCompare(b.name));
    // Cursors are domain ids (names): `after` continues past one, `before` goes back from one.
    const at = (id: string) => {
      const i = rows.findIndex((r) => r.name === id.toLowerCase());
      if (i < 0) throw new AppError('domain_not_found', `No domain ${id} here.`);
      return i;
    };
    const start = after !== undefined ? at(after) + 1 : before !== undefined ? Math.max(0, at(before) - n) : 0;
    const end = before !== undefined ? at(before) : start + n;
    const page = rows.slice(start, end);
    const hasMore = before !== undefined ? start > 0 : end < rows.length;
    return c.json({ object: 'list' as const, has_more: hasMore, data: page.map(listedDomain) }, 200);
  })
  .all('/domains', methodNotAllowed('GET'))
  .get('/domains/:id', async (c) => {
    const id = c.req.param('id').toLowerCase();
    const row = (await domainsVisibleTo(c.var.deps, c.var.principal)).find((d) => d.name === id);
    if (!row) throw new AppError('domain_not_found', `No domain ${c.req.param('id')} here.`);
    return c.json(domainObject(row), 200);
  })
  .all('/domains/:id', methodNotAllowed('GET'));
