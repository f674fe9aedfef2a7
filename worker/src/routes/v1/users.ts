/**
 * /api/v1/users: people of a domain (admin, or manage_users on it), and /auth/me/addresses: a
 * logged-in user adding a mailbox of their own.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors';
import { requireDomainPermission } from '../../services/accounts/access';
import { createOwnAddress, createUser, deleteUser, getUserByEmail, listUsers } from '../../services/accounts/users';
import { domainOf } from '../../services/domains/registry';
import { ownedAddress, userInfo } from './account-presenters';
import { NewUserInput, OwnedAddress, User, conflict } from './account-schemas';
import { limitParam, meta, offsetParam, security, v1Router } from './common';
import { commonErrors, envelope, listEnvelope, ok } from './schemas';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const emailParam = z.object({ email: z.string().min(3).max(320).openapi({ param: { name: 'email', in: 'path' }, example: 'bob@yourdomain.com' }) });

const list = createRoute({
  method: 'get',
  path: '/users',
  tags: ['Users'],
  security,
  summary: 'Users, optionally of one domain (admin; manage_users holders must name their domain)',
  request: { query: z.object({ domain: z.string().max(253).optional().openapi({ param: { name: 'domain', in: 'query' } }), limit: limitParam, offset: offsetParam }) },
  responses: { ...ok(listEnvelope(User), 'Users by email'), ...commonErrors },
});

const create = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Users'],
  security,
  summary: 'Create a user and their mailbox on an active domain (admin, or manage_users on it)',
  request: { body: json(NewUserInput) },
  responses: { 201: { description: 'The user', ...json(envelope(User.extend({ mailbox: z.string() }))) }, ...commonErrors, ...conflict },
});

const remove = createRoute({
  method: 'delete',
  path: '/users/{email}',
  tags: ['Users'],
  security,
  summary: 'Delete a user with their sessions and permissions; their mailboxes stay (admin, or manage_users on the domain)',
  request: { params: emailParam },
  responses: { ...ok(envelope(z.object({ email: z.string(), deleted: z.literal(true) })), 'Deleted'), ...commonErrors },
});

const newAddress = createRoute({
  method: 'post',
  path: '/auth/me/addresses',
  tags: ['Accounts'],
  security,
  summary: 'Add an address you own: on an open domain, or one where you hold manage_users',
  request: { body: json(z.object({ name: z.string().trim().max(64).optional(), domain: z.string().trim().max(253).optional() }).openapi('OwnAddressInput')) },
  responses: { 201: { description: 'The new address', ...json(envelope(OwnedAddress)) }, ...commonErrors, ...conflict },
});

export const userRoutes = v1Router()
  .openapi(list, async (c) => {
    const { domain, limit, offset } = c.req.valid('query');
    if (c.var.principal.kind !== 'admin') {
      if (!domain) throw new AppError('access_denied', 'Name the domain (?domain=) where you hold manage_users.', 'domain');
      await requireDomainPermission(c.var.deps, c.var.principal, domain, 'manage_users');
    }
    const { rows, total } = await listUsers(c.var.deps, { domain: domain?.toLowerCase(), limit, offset });
    return c.json({ ok: true as const, success: true as const, data: rows.map(userInfo), meta: { ...meta(c), total, limit, offset, next_cursor: null } }, 200);
  })
  .openapi(create, async (c) => {
    const body = c.req.valid('json');
    await requireDomainPermission(c.var.deps, c.var.principal, domainOf(body.email), 'manage_users');
    const { user, mailbox } = await createUser(c.var.deps, body);
    return c.json({ ok: true as const, success: true as const, data: { ...userInfo(user), mailbox: mailbox.address }, meta: meta(c) }, 201);
  })
  .openapi(remove, async (c) => {
    const { email } = c.req.valid('param');
    await requireDomainPermission(c.var.deps, c.var.principal, domainOf(email), 'manage_users');
    const user = await getUserByEmail(c.var.deps, email);
    await deleteUser(c.var.deps, user);
    return c.json({ ok: true as const, success: true as const, data: { email: user.email, deleted: true as const }, meta: meta(c) }, 200);
  })
  .openapi(newAddress, async (c) => {
    const p = c.var.principal;
    if (p.kind !== 'user') throw new AppError('access_denied', 'This needs a user session token (log in first).');
    const row = await createOwnAddress(c.var.deps, p, c.req.valid('json'), c.req.header('cf-connecting-ip'));
    return c.json({ ok: true as const, success: true as const, data: ownedAddress(row), meta: meta(c) }, 201);
  });
