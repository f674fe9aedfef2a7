/** Creating an address and the mailbox's own settings and token. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { validate } from '../lib/validate';
import { isAdmin, requireAddress } from '../middleware/auth';
import { countAnonymousCreation, createAddress, rotateToken } from '../services/addresses';
import { openDomainNames } from '../services/domains/registry';
import { issueAddressToken } from '../services/tokens';
import { aiEnabled } from '../services/ai/settings';
import type { PublicConfig } from './api-types';
import { addressInfo } from './presenters';

// Unknown fields are ignored, not refused: existing clients send extras (e.g. a captcha token).
export const newAddressBody = z.object({
  // An empty name means "pick one for me", as existing clients send it.
  name: z.string().trim().max(64).optional().transform((v) => v || undefined),
  domain: z.string().trim().max(253).optional().transform((v) => v || undefined),
});

export const addressRoutes = new Hono<AppEnv>()
  /** What a client needs before it has a token: the domains, and whether creation is open. */
  .get('/public_config', async (c) => {
    const { config } = c.var.deps;
    const body: PublicConfig = {
      domains: await openDomainNames(c.var.deps),
      admin_only_create: config.adminOnlyCreate,
      max_message_bytes: config.maxMessageBytes,
      signup: config.signup,
      ai_enabled: aiEnabled(config.ai, c.var.deps.aiBinding !== null),
      smtp_proxy: config.smtpProxyAddress,
    };
    return c.json(body);
  })
  .post('/new_address', validate('json', newAddressBody), async (c) => {
    const { deps } = c.var;
    const admin = await isAdmin(c);
    if (deps.config.adminOnlyCreate && !admin) {
      throw new AppError('unauthorized', 'Only an admin can create addresses on this server.');
    }
    if (!admin) await countAnonymousCreation(deps, c.req.header('cf-connecting-ip'));
    const row = await createAddress(deps, c.req.valid('json'));
    return c.json({ address: row.address, address_id: row.id, jwt: await issueAddressToken(deps, row) });
  })
  .get('/settings', requireAddress, (c) => c.json(addressInfo(c.var.mailbox)))
  .post('/rotate_token', requireAddress, async (c) => {
    const row = await rotateToken(c.var.deps, c.var.mailbox.id);
    return c.json({ address: row.address, address_id: row.id, jwt: await issueAddressToken(c.var.deps, row) });
  });
