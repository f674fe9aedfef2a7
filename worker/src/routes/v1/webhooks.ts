/** /api/v1/webhooks: endpoints (Standard Webhooks), their delivery log, replay and a test event. */
import { createRoute, z } from '@hono/zod-openapi';
import { deliveriesOf, replayDelivery, sendTestEvent } from '../../services/webhooks/deliveries';
import { createWebhook, deleteWebhook, listWebhooks, rotateSecret, updateWebhook, webhookFor } from '../../services/webhooks/endpoints';
import { meta, security, v1Router } from './common';
import { commonErrors, envelope, ErrorEnvelope, listEnvelope, ok } from './schemas';
import { Delivery, deliveryView, Webhook, WebhookInput, WebhookPatch, webhookView, WebhookWithSecret } from './webhook-schemas';

const tags = ['Webhooks'];
const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'wh_k2j4h5g6f7d8s9a0q1w2e3r4' }) });
const deliveryParams = idParam.extend({ delivery_id: z.string().openapi({ param: { name: 'delivery_id', in: 'path' }, example: 'whd_a1b2c3d4e5f6g7h8i9j0k1l2' }) });
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const created = <T extends z.ZodType>(schema: T, description: string) => ({ 201: { description, content: { 'application/json': { schema: envelope(schema) } } } });
const disabled = { 409: { description: 'webhook_disabled', content: { 'application/json': { schema: ErrorEnvelope } } } };

const routes = {
  create: createRoute({ method: 'post', path: '/webhooks', tags, security, summary: 'Create an endpoint; the signing secret is in this answer only', request: { body: json(WebhookInput) }, responses: { ...created(WebhookWithSecret, 'The endpoint and its secret'), ...commonErrors } }),
  list: createRoute({ method: 'get', path: '/webhooks', tags, security, summary: 'Endpoints the caller manages', responses: { ...ok(listEnvelope(Webhook), 'Endpoints, newest first'), ...commonErrors } }),
  get: createRoute({ method: 'get', path: '/webhooks/{id}', tags, security, summary: 'One endpoint', request: { params: idParam }, responses: { ...ok(envelope(Webhook), 'The endpoint'), ...commonErrors } }),
  patch: createRoute({ method: 'patch', path: '/webhooks/{id}', tags, security, summary: 'Change an endpoint (enabled: true re-enables a disabled one)', request: { params: idParam, body: json(WebhookPatch) }, responses: { ...ok(envelope(Webhook), 'The endpoint'), ...commonErrors } }),
  remove: createRoute({ method: 'delete', path: '/webhooks/{id}', tags, security, summary: 'Delete an endpoint and its delivery log', request: { params: idParam }, responses: { ...ok(envelope(z.object({ id: z.string(), deleted: z.literal(true) })), 'Deleted'), ...commonErrors } }),
  rotate: createRoute({ method: 'post', path: '/webhooks/{id}/rotate_secret', tags, security, summary: 'A new signing secret, used from now on (shown once)', request: { params: idParam }, responses: { ...ok(envelope(WebhookWithSecret), 'The endpoint and its new secret'), ...commonErrors } }),
  deliveries: createRoute({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    tags,
    security,
    summary: 'Deliveries, newest first, each with every attempt (status code, latency, response excerpt)',
    request: {
      params: idParam,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ param: { name: 'limit', in: 'query' } }),
        cursor: z.string().regex(/^\d+$/, 'cursor must be meta.next_cursor of the previous page').optional().openapi({ param: { name: 'cursor', in: 'query' } }),
      }),
    },
    responses: { ...ok(listEnvelope(Delivery), 'A page of deliveries'), ...commonErrors },
  }),
  replay: createRoute({ method: 'post', path: '/webhooks/{id}/deliveries/{delivery_id}/replay', tags, security, summary: 'Send a delivery\'s event again (same webhook-id), as a new queued delivery', request: { params: deliveryParams }, responses: { ...created(Delivery, 'The new delivery'), ...commonErrors, ...disabled } }),
  test: createRoute({ method: 'post', path: '/webhooks/{id}/test', tags, security, summary: 'Post a webhook.test event now, once, and answer with the attempt', request: { params: idParam }, responses: { ...ok(envelope(Delivery), 'The test delivery and its attempt'), ...commonErrors } }),
};

export const webhookRoutes = v1Router()
  .openapi(routes.create, async (c) => {
    const { row, secret } = await createWebhook(c.var.deps, c.var.principal, c.req.valid('json'));
    return c.json({ ok: true as const, success: true as const, data: { ...webhookView(row), secret }, meta: meta(c) }, 201);
  })
  .openapi(routes.list, async (c) => {
    const rows = await listWebhooks(c.var.deps, c.var.principal);
    return c.json({ ok: true as const, success: true as const, data: rows.map(webhookView), meta: { ...meta(c), total: rows.length, limit: rows.length, offset: 0, next_cursor: null } }, 200);
  })
  .openapi(routes.get, async (c) => {
    const row = await webhookFor(c.var.deps, c.var.principal, c.req.valid('param').id);
    return c.json({ ok: true as const, success: true as const, data: webhookView(row), meta: meta(c) }, 200);
  })
  .openapi(routes.patch, async (c) => {
    const row = await updateWebhook(c.var.deps, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
    return c.json({ ok: true as const, success: true as const, data: webhookView(row), meta: meta(c) }, 200);
  })
  .openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param');
    await deleteWebhook(c.var.deps, c.var.principal, id);
    return c.json({ ok: true as const, success: true as const, data: { id, deleted: true as const }, meta: meta(c) }, 200);
  })
  .openapi(routes.rotate, async (c) => {
    const { row, secret } = await rotateSecret(c.var.deps, c.var.principal, c.req.valid('param').id);
    return c.json({ ok: true as const, success: true as const, data: { ...webhookView(row), secret }, meta: meta(c) }, 200);
  })
  .openapi(routes.deliveries, async (c) => {
    const q = c.req.valid('query');
    const { items, nextId } = await deliveriesOf(c.var.deps, c.var.principal, c.req.valid('param').id, { limit: q.limit, beforeId: q.cursor ? Number(q.cursor) : undefined });
    return c.json(
      { ok: true as const, success: true as const, data: items.map(deliveryView), meta: { ...meta(c), total: items.length, limit: q.limit, offset: 0, next_cursor: nextId === null ? null : String(nextId) } },
      200,
    );
  })
  .openapi(routes.replay, async (c) => {
    const { id, delivery_id } = c.req.valid('param');
    const view = await replayDelivery(c.var.deps, c.var.principal, id, delivery_id);
    return c.json({ ok: true as const, success: true as const, data: deliveryView(view), meta: meta(c) }, 201);
  })
  .openapi(routes.test, async (c) => {
    const view = await sendTestEvent(c.var.deps, c.var.principal, c.req.valid('param').id);
    return c.json({ ok: true as const, success: true as const, data: deliveryView(view), meta: meta(c) }, 200);
  });
