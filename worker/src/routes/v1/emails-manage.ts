/** The outbound record through /api/v1: list, read, reschedule, cancel. */
import { createRoute, z } from '@hono/zod-openapi';
import { cancelEmail, rescheduleEmail } from '../../services/sending/manage';
import { getSentEmail, listSentEmails, senderAddresses } from '../../services/sending/read';
import { etagFor, meta, security, v1Router } from './common';
import { emailView } from './email-presenters';
import { Email, EmailStatusEnum } from './email-schemas';
import { commonErrors, envelope, ErrorEnvelope, listEnvelope, ok } from './schemas';
import type { Deps } from '../../services/deps';
import type { EmailView } from '../../services/sending/read';

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'em_3k4j5h6g7f8d9s0a1q2w3e4r' }) });
const notCancellable = { 409: { description: 'not_cancellable: already dispatched', content: { 'application/json': { schema: ErrorEnvelope } } } };
const q = (name: string) => ({ param: { name, in: 'query' as const } });

const list = createRoute({
  method: 'get',
  path: '/emails',
  tags: ['Sending'],
  security,
  summary: 'Sent emails, newest first, with each recipient\'s status',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50).openapi(q('limit')),
      cursor: z.string().regex(/^\d+$/, 'cursor must be meta.next_cursor of the previous page').optional().openapi(q('cursor')),
      status: EmailStatusEnum.optional().openapi(q('status')),
      tag: z.string().max(300).optional().openapi(q('tag')),
      created_after: z.iso.datetime({ offset: true }).optional().openapi(q('created_after')),
      created_before: z.iso.datetime({ offset: true }).optional().openapi(q('created_before')),
    }),
  },
  responses: { ...ok(listEnvelope(Email), 'A page of emails'), ...commonErrors },
});

const get = createRoute({
  method: 'get',
  path: '/emails/{id}',
  tags: ['Sending'],
  security,
  summary: 'One email: status, recipients with SMTP results, and the event timeline (weak ETag)',
  request: { params: idParam },
  responses: { ...ok(envelope(Email), 'The email'), 304: { description: 'Not modified' }, ...commonErrors },
});

const patch = createRoute({
  method: 'patch',
  path: '/emails/{id}',
  tags: ['Sending'],
  security,
  summary: 'Reschedule an email not yet dispatched (a past time sends it now)',
  request: {
    params: idParam,
    body: { required: true, content: { 'application/json': { schema: z.object({ scheduled_at: z.iso.datetime({ offset: true }) }) } } },
  },
  responses: { ...ok(envelope(Email), 'The rescheduled email'), ...commonErrors, ...notCancellable },
});

const cancelRoute = (method: 'post' | 'delete', path: string) =>
  createRoute({
    method,
    path,
    tags: ['Sending'],
    security,
    summary: 'Cancel an email not yet dispatched',
    request: { params: idParam },
    responses: { ...ok(envelope(Email), 'The cancelled email'), ...commonErrors, ...notCancellable },
  });

async function present(deps: Deps, view: EmailView) {
  const senders = await senderAddresses(deps, [view]);
  return emailView(view, senders.get(view.email.addressId) ?? '');
}

export const emailManageRoutes = v1Router()
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    const { deps, principal } = c.var;
    const { items, total, nextId } = await listSentEmails(deps, principal, {
      status: query.status,
      tag: query.tag,
      createdAfter: query.created_after ? Date.parse(query.created_after) : undefined,
      createdBefore: query.created_before ? Date.parse(query.created_before) : undefined,
      limit: query.limit,
      beforeId: query.cursor ? Number(query.cursor) : undefined,
    });
    const senders = await senderAddresses(deps, items);
    const data = items.map((view) => emailView(view, senders.get(view.email.addressId) ?? ''));
    return c.json(
      { ok: true as const, success: true as const, data, meta: { ...meta(c), total, limit: query.limit, offset: 0, next_cursor: nextId === null ? null : String(nextId) } },
      200,
    );
  })
  .openapi(get, async (c) => {
    const data = await present(c.var.deps, await getSentEmail(c.var.deps, c.var.principal, c.req.valid('param').id));
    if ((await etagFor(c, data)).notModified) return c.body(null, 304);
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    await rescheduleEmail(c.var.deps, c.var.principal, id, Date.parse(c.req.valid('json').scheduled_at));
    const data = await present(c.var.deps, await getSentEmail(c.var.deps, c.var.principal, id));
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(cancelRoute('post', '/emails/{id}/cancel'), async (c) => {
    const { id } = c.req.valid('param');
    await cancelEmail(c.var.deps, c.var.principal, id);
    const data = await present(c.var.deps, await getSentEmail(c.var.deps, c.var.principal, id));
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(cancelRoute('delete', '/emails/{id}'), async (c) => {
    const { id } = c.req.valid('param');
    await cancelEmail(c.var.deps, c.var.principal, id);
    const data = await present(c.var.deps, await getSentEmail(c.var.deps, c.var.principal, id));
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  });

