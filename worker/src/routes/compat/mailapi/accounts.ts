/** Accounts in the guide's shapes: the calling token, self-signup, bulk grants, the domain approval queue. */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { validate } from '../../../lib/validate';
import { requireSitePassword } from '../../../middleware/auth';
import { describeGrant, grantPermissions } from '../../../services/accounts/permissions';
import { signUp } from '../../../services/accounts/signup';
import { describeToken } from '../../../services/accounts/token-info';
import { approveDomain, listPendingDomains } from '../../../services/domains/approval';
import { requireAdminPrincipal } from '../../../services/principal';
import { BulkPermissionsInput, SignupInput } from '../../v1/account-schemas';
import { presentedMailApiToken } from './guard';
import { isoSeconds, pendingDomain, tokenInfo } from './presenters';
import { DomainParam } from './schemas';

/**
 * No token needed: signup is what hands one out. It honours SIGNUP, and the site password when
 * PASSWORDS makes the whole deployment private, as /api/v1/auth/signup does.
 */
export const signupRoutes = new Hono<AppEnv>().post('/auth/signup', requireSitePassword, validate('json', SignupInput), async (c) => {
  const r = await signUp(c.var.deps, c.req.valid('json'), c.req.header('cf-connecting-ip'));
  return c.json(
    {
      success: true,
      token: r.token,
      token_type: 'user',
      email: r.email,
      name: r.name,
      domain: r.domain,
      domain_status: r.domainStatus,
      expires_at: isoSeconds(r.expiresAt),
      message: r.message,
    },
    201,
  );
});

export const accountRoutes = new Hono<AppEnv>()
  // As in the guide, this one answer is the record itself, without a `success` field.
  .get('/tokens/me', async (c) => {
    const token = presentedMailApiToken(c.req.header('x-mailapi-token'))!;
    return c.json(tokenInfo(await describeToken(c.var.deps, c.var.principal, token), token), 200);
  })
  .post('/permissions/bulk', validate('json', BulkPermissionsInput), async (c) => {
    requireAdminPrincipal(c.var.principal);
    const result = await grantPermissions(c.var.deps, c.req.valid('json'));
    return c.json({ success: true, message: describeGrant(result), granted: result.granted, skipped: result.skipped }, 201);
  })
  .get('/domains/pending', async (c) => {
    requireAdminPrincipal(c.var.principal);
    const rows = await listPendingDomains(c.var.deps);
    return c.json({ success: true, total: rows.length, domains: rows.map(pendingDomain) }, 200);
  })
  .post('/domains/:domain/approve', validate('param', DomainParam), async (c) => {
    requireAdminPrincipal(c.var.principal);
    const row = await approveDomain(c.var.deps, c.req.valid('param').domain);
    return c.json({ success: true, message: `Domain ${row.name} has been approved and activated`, domain: row.name, active: row.status === 'active' }, 200);
  });
