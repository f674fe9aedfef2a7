/** /api/v1/permissions: granting and revoking per-domain rights (admin). */
import { createRoute, z } from '@hono/zod-openapi';
import { describeGrant, grantPermissions, listPermissions, revokePermissions } from '../../services/accounts/permissions';
import { getUserByEmail } from '../../services/accounts/users';
import { requireAdminPrincipal } from '../../services/principal';
import { BulkPermissionsInput, Grant, PermissionName } from './account-schemas';
import { meta, security, v1Router } from './common';
import { commonErrors, envelope, listEnvelope, ok } from './schemas';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const bulk = createRoute({
  method: 'post',
  path: '/permissions/bulk',
  tags: ['Permissions'],
  security,
  summary: 'Grant several permissions on a domain to a user (admin); existing ones are reported as skipped',
  request: { body: json(BulkPermissionsInput) },
  responses: {
    201: { description: 'What was granted and what the user already had', ...json(envelope(z.object({ message: z.string(), granted: z.array(PermissionName), skipped: z.array(PermissionName) }))) },
    ...commonErrors,
  },
});

const revoke = createRoute({
  method: 'post',
  path: '/permissions/revoke',
  tags: ['Permissions'],
  security,
  summary: 'Take permissions on a domain away from a user (admin)',
  request: { body: json(BulkPermissionsInput) },
  responses: { ...ok(envelope(z.object({ revoked: z.array(PermissionName) })), 'What was revoked'), ...commonErrors },
});

const list = createRoute({
  method: 'get',
  path: '/permissions',
  tags: ['Permissions'],
  security,
  summary: 'Every grant, or one user\'s (admin)',
  request: { query: z.object({ email: z.string().max(320).optional().openapi({ param: { name: 'email', in: 'query' } }) }) },
  responses: { ...ok(listEnvelope(Grant), 'Grants by user and domain'), ...commonErrors },
});

export const permissionRoutes = v1Router()
  .openapi(bulk, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const result = await grantPermissions(c.var.deps, c.req.valid('json'));
    return c.json({ ok: true as const, success: true as const, data: { message: describeGrant(result), ...result }, meta: meta(c) }, 201);
  })
  .openapi(revoke, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const revoked = await revokePermissions(c.var.deps, c.req.valid('json'));
    return c.json({ ok: true as const, success: true as const, data: { revoked }, meta: meta(c) }, 200);
  })
  .openapi(list, async (c) => {
    requireAdminPrincipal(c.var.principal);
    const { email } = c.req.valid('query');
    const userId = email ? (await getUserByEmail(c.var.deps, email)).id : undefined;
    const data = await listPermissions(c.var.deps, userId);
    return c.json({ ok: true as const, success: true as const, data, meta: { ...meta(c), total: data.length, limit: data.length, offset: 0, next_cursor: null } }, 200);
  });
