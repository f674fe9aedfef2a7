/**
 * /api/v1/auth: self-signup and log-in (public), then the session's own view: who am I, my
 * addresses, my sessions, log out.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError } from '../../lib/errors';
import { throttleLogin } from '../../middleware/login-throttle';
import { listPermissions } from '../../services/accounts/permissions';
import { endSession, listSessions, revokeSession } from '../../services/accounts/sessions';
import { signUp } from '../../services/accounts/signup';
import { addressesOf, getUser, logIn } from '../../services/accounts/users';
import { meta, security, v1Router } from './common';
import { LoginInput, Me, Session, SessionInfo, SignupInput, SignupResult, conflict } from './account-schemas';
import { ownedAddress, sessionInfo, userInfo } from './account-presenters';
import { commonErrors, envelope, ok } from './schemas';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const signup = createRoute({
  method: 'post',
  path: '/auth/signup',
  tags: ['Accounts'],
  summary: 'Create an account with its own domain (no authentication). The domain stays pending until an admin approves it.',
  request: { body: json(SignupInput) },
  responses: { 201: { description: 'Account created; the session token logs in at once', ...json(envelope(SignupResult)) }, ...commonErrors, ...conflict },
});

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['Accounts'],
  summary: 'Exchange email and password for a session (user) token; 10 attempts per account per 15 minutes',
  request: { body: json(LoginInput) },
  responses: { ...ok(envelope(Session.extend({ email: z.string(), name: z.string() })), 'A new session'), ...commonErrors },
});

/** Public: registered before the v1 auth middleware. */
export const publicAuthRoutes = v1Router()
  .openapi(signup, async (c) => {
    const r = await signUp(c.var.deps, c.req.valid('json'), c.req.header('cf-connecting-ip'));
    const data = {
      token: r.token,
      token_type: 'user' as const,
      email: r.email,
      name: r.name,
      domain: r.domain,
      domain_status: r.domainStatus,
      expires_at: new Date(r.expiresAt).toISOString(),
      message: r.message,
    };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 201);
  })
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    await throttleLogin(c, email);
    const { user, token, session } = await logIn(c.var.deps, email, password);
    const data = { token, token_type: 'user' as const, expires_at: new Date(session.expiresAt).toISOString(), email: user.email, name: user.name };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  });

const me = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['Accounts'],
  security,
  summary: 'The logged-in user: profile, own addresses, permissions',
  responses: { ...ok(envelope(Me), 'Who this session belongs to'), ...commonErrors },
});

const sessions = createRoute({
  method: 'get',
  path: '/auth/sessions',
  tags: ['Accounts'],
  security,
  summary: "The user's live sessions",
  responses: { ...ok(envelope(z.array(SessionInfo)), 'Sessions, newest first'), ...commonErrors },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['Accounts'],
  security,
  summary: 'End this session: its token stops working at once',
  responses: { ...ok(envelope(z.object({ logged_out: z.literal(true) })), 'Logged out'), ...commonErrors },
});

const revoke = createRoute({
  method: 'delete',
  path: '/auth/sessions/{id}',
  tags: ['Accounts'],
  security,
  summary: 'End another of your sessions',
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'ses_a1b2c3d4e5f6g7h8i9j0' }) }) },
  responses: { ...ok(envelope(z.object({ id: z.string(), revoked: z.literal(true) })), 'Revoked'), ...commonErrors },
});

function sessionPrincipal(c: Context<AppEnv>) {
  const p = c.var.principal;
  if (p.kind !== 'user') throw new AppError('access_denied', 'This needs a user session token (log in first).');
  return p;
}

export const sessionRoutes = v1Router()
  .openapi(me, async (c) => {
    const p = sessionPrincipal(c);
    const { deps } = c.var;
    const [user, addresses, permissions, live] = await Promise.all([getUser(deps, p.userId), addressesOf(deps, p.userId), listPermissions(deps, p.userId), listSessions(deps, p.userId)]);
    const current = live.find((s) => s.id === p.sessionId);
    const data = {
      user: userInfo(user),
      session: { id: current?.publicId ?? '', expires_at: current ? new Date(current.expiresAt).toISOString() : '' },
      addresses: addresses.map(ownedAddress),
      permissions,
    };
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(sessions, async (c) => {
    const p = sessionPrincipal(c);
    const rows = await listSessions(c.var.deps, p.userId);
    return c.json({ ok: true as const, success: true as const, data: rows.map((r) => sessionInfo(r, p.sessionId)), meta: meta(c) }, 200);
  })
  .openapi(logout, async (c) => {
    const p = sessionPrincipal(c);
    await endSession(c.var.deps, p.sessionId);
    return c.json({ ok: true as const, success: true as const, data: { logged_out: true as const }, meta: meta(c) }, 200);
  })
  .openapi(revoke, async (c) => {
    const p = sessionPrincipal(c);
    const { id } = c.req.valid('param');
    await revokeSession(c.var.deps, p.userId, id);
    return c.json({ ok: true as const, success: true as const, data: { id, revoked: true as const }, meta: meta(c) }, 200);
  });
