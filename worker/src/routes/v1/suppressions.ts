/** /api/v1/suppressions: recipients later sends skip because they hard-bounced. */
import { createRoute, z } from '@hono/zod-openapi';
import { liftSuppression, listSuppressed } from '../../services/sending/suppressions';
import { meta, security, v1Router } from './common';
import { suppression } from './email-presenters';
import { Suppression } from './email-schemas';
import { commonErrors, envelope, listEnvelope, ok } from './schemas';

const q = (name: string) => ({ param: { name, in: 'query' as const } });

const list = createRoute({
  method: 'get',
  path: '/suppressions',
  tags: ['Sending'],
  security,
  summary: 'Suppressed recipients (a mailbox key sees those its own sends caused)',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50).openapi(q('limit')),
      cursor: z.string().regex(/^\d+$/).optional().openapi(q('cursor')),
      domain: z.string().max(253).optional().openapi(q('domain')),
      email: z.string().max(320).optional().openapi(q('email')),
    }),
  },
  responses: { ...ok(listEnvelope(Suppression), 'A page of suppressions'), ...commonErrors },
});

const remove = createRoute({
  method: 'delete',
  path: '/suppressions',
  tags: ['Sending'],
  security,
  summary: 'Lift a suppression, so the address receives mail again',
  request: {
    query: z.object({
      email: z.string().min(3).max(320).openapi(q('email')),
      domain: z.string().max(253).optional().openapi({ ...q('domain'), description: 'Only for this sending domain (default: all)' }),
    }),
  },
  responses: { ...ok(envelope(z.object({ email: z.string(), removed: z.number().int() })), 'Lifted'), ...commonErrors },
});

export const suppressionRoutes = v1Router()
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    const { rows, nextCursor } = await listSuppressed(c.var.deps, c.var.principal, {
      domain: query.domain,
      email: query.email,
      limit: query.limit,
      cursor: query.cursor ? Number(query.cursor) : undefined,
    });
    return c.json(
      {
        ok: true as const,
        success: true as const,
        data: rows.map(suppression),
        meta: { ...meta(c), total: rows.length, limit: query.limit, offset: 0, next_cursor: nextCursor === null ? null : String(nextCursor) },
      },
      200,
    );
  })
  .openapi(remove, async (c) => {
    const { email, domain } = c.req.valid('query');
    const removed = await liftSuppression(c.var.deps, c.var.principal, email, domain);
    return c.json({ ok: true as const, success: true as const, data: { email: email.toLowerCase(), removed }, meta: meta(c) }, 200);
  });
