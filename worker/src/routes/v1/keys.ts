/** /api/v1/keys: admin keys manage keys; every key can read its own record at /keys/me. */
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiKeyRow } from '../../db/schema';
import type { Deps } from '../../services/deps';
import { AppError } from '../../lib/errors';
import { requireAdminPrincipal } from '../../services/principal';
import { findAddress } from '../../services/addresses';
import { createKey, getApiKey, keyOfPrincipal, listApiKeys, mailboxOfKey, revokeApiKey } from '../../services/apikeys';
import { etagFor, limitParam, meta, offsetParam, security, v1Router } from './common';
import { apiKey } from './presenters';
import { ApiKey, commonErrors, CreatedApiKey, envelope, listEnvelope, ok } from './schemas';

const create = createRoute({
  method: 'post',
  path: '/keys',
  tags: ['Keys'],
  security,
  summary: 'Create a key (admin). The secret is in this response only.',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              type: z.enum(['admin', 'mailbox']),
              mailbox: z.email().optional().openapi({ description: 'Required for mailbox keys' }),
              name: z.string().max(100).default(''),
              expires_at: z.iso.datetime().optional().openapi({ description: 'RFC 3339; omit for no expiry' }),
            })
            .openapi('KeyInput'),
        },
      },
    },
  },
  responses: { 201: { description: 'The new key', content: { 'application/json': { schema: envelope(CreatedApiKey) } } }, ...commonErrors },
});

const list = createRoute({
  method: 'get',
  path: '/keys',
  tags: ['Keys'],
  security,
  summary: 'List keys (admin)',
  request: { query: z.object({ limit: limitParam, offset: offsetParam }) },
  responses: { ...ok(listEnvelope(ApiKey), 'Keys, newest first'), ...commonErrors },
});

const me = createRoute({
  method: 'get',
  path: '/keys/me',
  tags: ['Keys'],
  security,
  summary: 'The calling key itself',
  responses: { ...ok(envelope(ApiKey), 'This key'), 304: { description: 'Not modified' }, ...commonErrors },
});

const revoke = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  tags: ['Keys'],
  security,
  summary: 'Revoke a key (admin); it stops working at once',
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'key_a1b2c3d4e5f6g7h8i9j0' }) }) },
  responses: { ...ok(envelope(z.object({ id: z.string(), revoked: z.literal(true) })), 'Revoked'), ...commonErrors },
});

async function present(deps: Deps, row: ApiKeyRow) {
  const mailbox = (await mailboxOfKey(deps, row))?.address ?? null;
  return apiKey(row, mailbox, deps.clock.now());
}

export const keyRoutes = v1Router()
  .openapi(me, async (c) => {
    const { principal, deps } = c.var;
    if (principal.keyId === null) throw new AppError('access_denied', 'Only API keys have a key record; this call used an address token or the admin password.');
    const data = await present(deps, await keyOfPrincipal(deps, principal.keyId));
    if ((await etagFor(c, data)).notModified) return c.body(null, 304);
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(create, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const body = c.req.valid('json');
    if (body.type === 'mailbox' && !body.mailbox) throw new AppError('validation_failed', 'mailbox is required for a mailbox key.', 'mailbox');
    const mailbox = body.type === 'mailbox' ? await findAddress(c.var.deps, body.mailbox!) : undefined;
    const expiresAt = body.expires_at ? Date.parse(body.expires_at) : undefined;
    const { row, key } = await createKey(c.var.deps, { type: body.type, mailbox, name: body.name, expiresAt });
    return c.json({ ok: true as const, success: true as const, data: { ...(await present(c.var.deps, row)), key }, meta: meta(c) }, 201);
  })
  .openapi(list, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const { limit, offset } = c.req.valid('query');
    const { rows, total } = await listApiKeys(c.var.deps, limit, offset);
    const data = await Promise.all(rows.map((r) => present(c.var.deps, r)));
    return c.json({ ok: true as const, success: true as const, data, meta: { ...meta(c), total, limit, offset, next_cursor: null } }, 200);
  })
  .openapi(revoke, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const { id } = c.req.valid('param');
    await getApiKey(c.var.deps, id);
    await revokeApiKey(c.var.deps, id);
    return c.json({ ok: true as const, success: true as const, data: { id, revoked: true as const }, meta: meta(c) }, 200);
  });
